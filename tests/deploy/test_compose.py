"""docker-compose.yml, the Dockerfile and deploy/env.example agree with each other and with the settings.

No Docker engine runs here or in CI, so the file is read, not started: the services, their health
checks and restart policies, the volumes web, worker and nginx share, and the environment a
deployment must provide.
"""

import ast
import re
from pathlib import Path

import yaml
from django.conf import settings
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
PORTAL_SERVICES = ("web", "worker", "converter", "scheduler")


def _mounts(service: str) -> dict[str, str]:
    """{volume or host path: mount point (with :ro when read-only)} of a service."""
    mounts = {}
    for entry in SERVICES[service].get("volumes", []):
        source, target = entry.split(":", 1)
        mounts[source] = target
    return mounts


def _env_example_names() -> set[str]:
    text = (BASE_DIR / "deploy" / "env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


def test_the_services_of_a_production_deployment():
    assert set(SERVICES) == {"nginx", "web", "worker", "converter", "scheduler", "postgres", "redis"}
    for name, service in SERVICES.items():
        assert service.get("restart") in ("unless-stopped", "always"), name
    for name in PORTAL_SERVICES:
        assert SERVICES[name]["build"] == "."
        assert SERVICES[name]["image"] == SERVICES["web"]["image"]
        assert SERVICES[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "workshop_portal.settings.production"
        assert SERVICES[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert SERVICES[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "gunicorn workshop_portal.wsgi:application" in SERVICES["web"]["command"]
    assert SERVICES["worker"]["command"].startswith("celery -A workshop_portal worker")
    assert SERVICES["converter"]["command"].startswith("celery -A workshop_portal worker")
    assert SERVICES["scheduler"]["command"].startswith("celery -A workshop_portal beat")
    # Only nginx is published; gunicorn is reached through it.
    assert "ports" not in SERVICES["web"]
    assert SERVICES["nginx"]["ports"]


def test_health_checks():
    for name in ("nginx", "web", "worker", "converter", "postgres", "redis", "scheduler"):
        assert SERVICES[name]["healthcheck"]["test"], name
    web_check = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert f"http://127.0.0.1:8000{reverse('healthz')}" in web_check
    assert "DJANGO_ALLOWED_HOSTS" in web_check  # a host name the portal accepts
    assert "pg_isready" in SERVICES["postgres"]["healthcheck"]["test"]
    assert "inspect ping" in SERVICES["worker"]["healthcheck"]["test"][1]
    # The converter answers to the node name its command gives it.
    assert "-n converter@%h" in SERVICES["converter"]["command"]
    assert "--destination converter@$$HOSTNAME" in SERVICES["converter"]["healthcheck"]["test"][1]


def test_health_check_is_exempt_from_the_https_redirect():
    source = (BASE_DIR / "workshop_portal" / "settings" / "production.py").read_text()
    exempt = re.search(r"^SECURE_REDIRECT_EXEMPT = (.+)$", source, flags=re.MULTILINE).group(1)
    patterns = ast.literal_eval(exempt)
    assert any(re.search(pattern, reverse("healthz").lstrip("/")) for pattern in patterns)


def test_web_worker_and_nginx_share_the_private_files_and_nginx_serves_the_static_ones():
    portal_env = SERVICES["web"]["environment"]
    private_root = portal_env["PRIVATE_MEDIA_ROOT"]
    assert portal_env["PROTECTED_FILES_SERVER"] == "nginx"
    assert _mounts("web")["private-media"] == private_root
    assert _mounts("worker")["private-media"] == private_root
    assert _mounts("converter")["private-media"] == private_root
    assert SERVICES["worker"]["environment"]["PRIVATE_MEDIA_ROOT"] == private_root
    nginx_env = SERVICES["nginx"]["environment"]
    assert _mounts("nginx")["private-media"] == f"{nginx_env['PRIVATE_MEDIA_ROOT']}:ro"
    assert _mounts("nginx")["static"] == f"{nginx_env['STATIC_ROOT']}:ro"
    assert _mounts("web")["static"] == nginx_env["STATIC_ROOT"]
    assert "/data/static/" in SERVICES["web"]["command"]  # web fills it at start
    for volume in ("private-media", "static", "postgres-data", "redis-data"):
        assert volume in COMPOSE["volumes"]


def _option(command: str, flag: str) -> list[str]:
    """The comma-separated values of a celery worker option (-Q, -X) in a compose command."""
    words = command.split()
    return [value for index, word in enumerate(words[:-1]) if word == flag for value in words[index + 1].split(",")]


def test_conversions_run_only_in_the_converter_on_a_network_with_no_way_out():
    conversion_queue = SERVICES["web"]["environment"]["CELERY_CONVERSION_QUEUE"]
    # Every process that publishes or consumes shares the anchor's environment, so names the same queue.
    for name in PORTAL_SERVICES:
        assert SERVICES[name]["environment"]["CELERY_CONVERSION_QUEUE"] == conversion_queue, name
    # The settings read that variable and route the conversion task to it (here: the test run's queue).
    settings_sources = "".join(path.read_text() for path in (BASE_DIR / "workshop_portal" / "settings").glob("*.py"))
    assert 'env("CELERY_CONVERSION_QUEUE"' in settings_sources
    assert settings.CELERY_TASK_ROUTES["presentations.convert_presentation_file"]["queue"] == settings.CONVERSION_QUEUE
    assert settings.CONVERSION_QUEUE in {queue.name for queue in settings.CELERY_TASK_QUEUES}
    from workshop_portal.celery import app

    route = app.amqp.router.route({}, "presentations.convert_presentation_file")
    assert route["queue"].name == settings.CONVERSION_QUEUE
    assert app.amqp.router.route({}, "reports.proceedings_watchdog")["queue"].name == settings.CELERY_TASK_DEFAULT_QUEUE
    # A worker started without -Q (make worker, the tests' workers) consumes both.
    assert {settings.CELERY_TASK_DEFAULT_QUEUE, settings.CONVERSION_QUEUE} <= set(app.amqp.queues)
    # Only the converter consumes it; the other worker excludes it.
    assert _option(SERVICES["converter"]["command"], "-Q") == [conversion_queue]
    assert _option(SERVICES["worker"]["command"], "-X") == [conversion_queue]
    assert "-Q" not in SERVICES["worker"]["command"].split()
    consumers = [name for name, service in SERVICES.items() if " worker" in str(service.get("command", ""))]
    assert sorted(consumers) == ["converter", "worker"]
    # The converter is on the internal network only; postgres and redis are there with it.
    networks = COMPOSE["networks"]
    assert SERVICES["converter"]["networks"] == ["backend"]
    assert networks["backend"]["internal"] is True
    for name in ("postgres", "redis"):
        assert "backend" in SERVICES[name]["networks"], name
    for name in ("web", "worker", "scheduler"):
        assert set(SERVICES[name]["networks"]) == {"default", "backend"}, name
    assert "networks" not in SERVICES["nginx"] or "backend" not in SERVICES["nginx"]["networks"]
    assert SERVICES["converter"]["environment"]["CONVERSION_NETWORK_ISOLATION"] in ("auto", "required")


def test_nginx_uses_the_template_the_nginx_test_runs():
    mounts = _mounts("nginx")
    assert mounts["./deploy/nginx/portal.conf"] == "/etc/nginx/templates/default.conf.template:ro"
    assert (BASE_DIR / "deploy" / "nginx" / "portal.conf").is_file()
    limits = BASE_DIR / "deploy" / "nginx" / "10-portal-limits.envsh"
    assert mounts["./deploy/nginx/10-portal-limits.envsh"].startswith("/docker-entrypoint.d/")
    assert limits.stat().st_mode & 0o111, "the nginx image only sources executable .envsh files"
    template = (BASE_DIR / "deploy" / "nginx" / "portal.conf").read_text()
    assert f"location ^~ {settings.PROTECTED_FILES_NGINX_LOCATION} {{" in template
    assert f"location ^~ {settings.STATIC_URL} {{" in template
    placeholders = set(re.findall(r"\$\{([A-Z_]+)\}", template)) - {"NAME"}
    provided = set(SERVICES["nginx"]["environment"]) | {"NGINX_CLIENT_MAX_BODY_SIZE"}
    assert placeholders <= provided, placeholders - provided


def test_the_worker_image_has_libreoffice_and_the_fonts():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    for package in ("libreoffice-impress-nogui", "libreoffice-writer-nogui", "fonts-noto-core", "fonts-dejavu-core"):
        assert package in dockerfile


def test_the_image_can_back_up_and_restore_the_compose_database():
    # bookworm's postgresql-client is 15: pg_dump refuses a server newer than itself.
    assert "postgresql-client" in (BASE_DIR / "Dockerfile").read_text()
    assert "bookworm" in (BASE_DIR / "Dockerfile").read_text()
    assert SERVICES["postgres"]["image"] == "postgres:15"


def test_the_scheduler_runs_the_watchdogs_and_the_daily_purge():
    from workshop_portal.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    # What a worker imports when it starts: every installed app's tasks module (a task's name
    # need not be its module's: the purge lives in privacy/ under its first name).
    app.loader.import_default_modules()
    assert {
        "reports.proceedings_watchdog",
        "presentations.conversions_watchdog",
        "workshop_portal.purge_personal_data",
        "reports.send_reminders",
    } <= scheduled
    assert scheduled <= set(app.tasks)
    reminders = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "reports.send_reminders")
    assert reminders["schedule"] == 15 * 60.0


def _required_by_production_settings() -> set[str]:
    """Variables production.py reads with no default (django-environ then refuses to start)."""
    tree = ast.parse((BASE_DIR / "workshop_portal" / "settings" / "production.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        func = node.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"
        )
        if is_env and not any(keyword.arg == "default" for keyword in node.keywords):
            names.add(node.args[0].value)
    return names


def test_env_example_names_every_variable_production_requires():
    required = _required_by_production_settings()
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"} <= required
    missing = required - _env_example_names()
    assert not missing, f"deploy/env.example lacks {sorted(missing)}"


def test_every_variable_compose_reads_is_in_env_example():
    text = (BASE_DIR / "docker-compose.yml").read_text()
    read = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", text))
    missing = read - _env_example_names()
    assert not missing, f"deploy/env.example lacks {sorted(missing)}"
