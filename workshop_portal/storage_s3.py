"""Private files in an S3-compatible bucket (django-storages), for deployments past one machine.

Imported only when the settings name it, so the local-disk mode never loads boto3.
"""

from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PrivateS3Storage(S3Storage):
    """Private files in a bucket. url() refuses, like on local disk: a signed link is made only by
    the download view, after its access check (presigned_url)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files are not accessible via a URL; serve them through a view that checks access.")

    def presigned_url(self, name: str, *, expire: int, filename_header: str, content_type: str) -> str:
        """A GET link to one object, valid `expire` seconds, answered as an attachment."""
        parameters = {"ResponseContentDisposition": filename_header, "ResponseContentType": content_type}
        return super().url(name, parameters=parameters, expire=expire)

    def open_stream(self, name: str):
        """(body, size): the object's bytes as they arrive, without first copying it whole (open()
        would download it into a temporary file before the first byte is sent)."""
        response = self.bucket.Object(self._normalize_name(clean_name(name))).get()
        return response["Body"], response["ContentLength"]
