# One image for the web process, the Celery worker and the scheduler (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=workshop_portal.settings.production

# Pango for WeasyPrint, fonts that cover Arabic and Cyrillic, LibreOffice for PPTX/DOCX to PDF,
# pg_dump, pg_restore and psql for `manage.py backup` and `restore` (bookworm's are 15, as the
# postgres:15 service: pg_dump refuses a newer server).
# The proceedings are merged by qpdf and their web edition made by Pillow, both inside the wheels
# of pikepdf and Pillow (requirements.txt): no system package for them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core \
        libreoffice-impress-nogui libreoffice-writer-nogui \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
# Mount points of the named volumes (docker-compose.yml): a new volume takes this ownership.
RUN mkdir -p /data/static /data/private /data/media && chown -R portal:portal /data
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=portal:portal . .
# collectstatic needs settings that import cleanly; the key is thrown away with this layer.
RUN DJANGO_SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdefghijklmnop \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput

USER portal
EXPOSE 8000
CMD ["gunicorn", "workshop_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--no-control-socket"]
