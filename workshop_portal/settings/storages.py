"""Object storage (django-storages, S3-compatible) for STORAGES, when a bucket is named."""


def object_storages(values) -> dict:
    """STORAGES["default"] and ["private"] in one S3-compatible bucket, under public/ and private/.

    `values` holds the environment variables (the tests pass those of the store they start).
    """
    from botocore.config import Config

    # Signature version 4 (signed links carry their lifetime), path or virtual-host addressing, and
    # timeouts that fail a request in seconds rather than minutes when the store is unreachable.
    client_config = Config(
        signature_version="s3v4",
        s3={"addressing_style": values.get("AWS_S3_ADDRESSING_STYLE") or "auto"},
        connect_timeout=5,
        read_timeout=60,
        retries={"mode": "standard", "max_attempts": 3},
    )
    common = {
        "bucket_name": values["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": values.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": values.get("AWS_S3_REGION_NAME") or None,
        "client_config": client_config,
        # No ACL on upload: objects stay as private as the bucket (a bucket without ACLs refuses one).
        "default_acl": values.get("AWS_DEFAULT_ACL") or None,
        "file_overwrite": False,
        "querystring_auth": True,
        # A file read whole (a deck copied for LibreOffice) spills to a temporary file past 16 MB.
        "max_memory_size": 16 * 1024 * 1024,
    }
    # Without keys, boto3 finds its own (its environment variables, a profile, an instance role).
    if values.get("AWS_ACCESS_KEY_ID"):
        common["access_key"] = values["AWS_ACCESS_KEY_ID"]
        common["secret_key"] = values.get("AWS_SECRET_ACCESS_KEY", "")
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**common, "location": "public"}},
        "private": {
            "BACKEND": "workshop_portal.storage_s3.PrivateS3Storage",
            "OPTIONS": {**common, "location": "private"},
        },
    }
