"""The `FileStore` port on S3: presigned POST and GET, and HeadObject.

Presigning is local computation (no request); `head` is the one S3 request, made when a message
names a file and when a download link is asked for. The client must sign with SigV4 (the
composition root builds it so): botocore otherwise presigns S3 URLs with the legacy SigV2 in
regions that still accept it, which newer regions refuse.

On AWS the Lambda role needs s3:PutObject (what the POST policy is signed with) and
s3:GetObject on `chats/*`, and s3:ListBucket on the bucket: without it S3 answers HeadObject on
a missing key with 403 instead of 404, and a never-uploaded file would look like an outage.
"""
from __future__ import annotations

from typing import Any, Callable

from botocore.exceptions import ClientError

from ..domain.files import StoredFile

_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3FileStore:
    """`client` is a zero-argument factory of the boto3 S3 client, called on first use."""

    def __init__(self, client: Callable[[], Any], bucket: str) -> None:
        self._client_factory = client
        self.bucket = bucket

    @property
    def _client(self):
        return self._client_factory()

    def presign_post(self, key: str, content_type: str, max_bytes: int,
                     expires_in: int) -> tuple[str, dict]:
        # boto3 adds the {"bucket"} and exact {"key"} conditions itself (a key without
        # `${filename}`), and the matching `key` field.
        post = self._client.generate_presigned_post(
            Bucket=self.bucket, Key=key, Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_in)
        return post["url"], post["fields"]

    def presign_get(self, key: str, *, content_type: str, disposition: str,
                    expires_in: int) -> str:
        return self._client.generate_presigned_url(
            "get_object", ExpiresIn=expires_in,
            Params={"Bucket": self.bucket, "Key": key, "ResponseContentType": content_type,
                    "ResponseContentDisposition": disposition})

    def head(self, key: str) -> StoredFile | None:
        try:
            resp = self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as err:
            if err.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        return StoredFile(size=int(resp["ContentLength"]),
                          content_type=resp.get("ContentType") or "")

    def delete_prefix(self, prefix: str) -> int:
        """Every object under `prefix`: ListObjectsV2 pages of up to 1,000 keys, each deleted
        with one DeleteObjects (quiet: only failures come back, and they raise)."""
        deleted = 0
        for page in self._client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            keys = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if not keys:
                continue
            resp = self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})
            if resp.get("Errors"):
                raise RuntimeError(f"S3 kept {len(resp['Errors'])} object(s) under {prefix}")
            deleted += len(keys)
        return deleted
