"""The portal's own address, for the links it sends out (emails, badges), read from the environment."""


def portal_base_url(environ) -> str:
    """The portal's public address, without a trailing slash: PORTAL_BASE_URL, else the address the
    development server listens on, PORTAL_HOST and PORTAL_PORT (`make run` passes its HOST and PORT),
    so that the links in emails and on badges lead back to it from any process, worker included."""
    explicit = environ.get("PORTAL_BASE_URL", "").strip().rstrip("/")
    if explicit:
        return explicit
    host = environ.get("PORTAL_HOST", "").strip().strip("[]") or "127.0.0.1"
    # A server listening on every interface is reached on this machine at the loopback address.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    if ":" in host:  # an IPv6 address goes in brackets
        host = f"[{host}]"
    return f"http://{host}:{environ.get('PORTAL_PORT', '').strip() or '8000'}"
