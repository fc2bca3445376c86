"""What the tests and the benchmarks both build on: factories for the domain, generated files
(PDF, PPTX, DOCX), and launchers for real nginx, Redis and Celery worker processes.

Not part of the portal: nothing under the apps imports it.
"""
