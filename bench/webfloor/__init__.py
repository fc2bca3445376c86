"""Settings and URLs for bench/web.py only: the portal plus a floor view. The product never loads them."""
