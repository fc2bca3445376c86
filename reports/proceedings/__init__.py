"""The proceedings volume: requested by the secretariat, built by workers, kept as versions.

- manifest.py: what goes into a build, and the keys of its cached pieces;
- render.py: the text pieces, rendered with WeasyPrint and cached;
- assembly.py: laying out the body, contents and index, merging, storing the volume;
- volume.py: the pikepdf writer (pages, page numbers, bookmarks, labels, metadata);
- pipeline.py: a build's life in the workers (attempts, claims, progress, watchdog, the end);
- services.py: requesting, publishing, building in this process.
"""
