"""Backup and restore of a whole installation: the database, the public and private files, and
the portal's version and migration state, in one tar archive (encrypted when a key is set).

- backup.py: `manage.py backup DEST` writes the archive, streamed;
- restore.py: `manage.py restore ARCHIVE` verifies all of it, then restores it;
- streams.py: the chunked AES-GCM encryption of an archive;
- databases.py: SQLite's online backup and PostgreSQL's pg_dump/pg_restore.
"""
