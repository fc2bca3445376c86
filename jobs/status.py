"""What a page polls about one job: a small dict, safe to send as JSON."""

from jobs.spec import JobSpec


def job_status(spec: JobSpec, row) -> dict:
    def value(field, default=None):
        return getattr(row, field) if field else default

    status = getattr(row, spec.status_field)
    done, total = value(spec.progress_done_field), value(spec.progress_total_field)
    percent = None
    if done is not None and total:
        percent = min(100, round(100 * done / total))
    return {
        "status": str(status),
        "pending": status in spec.pending,
        "attempts": getattr(row, spec.attempts_field),
        "max_attempts": spec.max_attempts,
        "done": done,
        "total": total,
        "percent": percent,
        "label": str(value(spec.progress_label_field, "") or ""),
        "error": str(getattr(row, spec.error_field) or ""),
        "waits_for_queue": bool(spec.queued_field) and status == spec.waiting and value(spec.queued_field) is None,
    }
