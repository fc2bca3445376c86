"""What a worker process loads once at start, not during its first task: the PDF renderer's fonts
and styles, and the collation table names are sorted with (pyuca reads it on first use, ~0.4 s)."""

import logging

logger = logging.getLogger(__name__)


def worker_warm_up() -> None:
    try:
        from workshop_portal.collation import collation_key
        from workshop_portal.pdf import html_render

        collation_key("Ready")
        html_render('<link rel="stylesheet" href="/static/css/pdf.css"><p>Ready. Готово. جاهز.</p>').write_pdf()
    except Exception:  # a failed warm-up only costs the first task its speed
        logger.exception("could not warm up the worker")
