"""The parts of bench/upload_burst.py: decks, delegates, processes, a browser's requests, web
workers' memory, and the figures with their targets."""
