"""An S3-compatible server on loopback for media tests (a pytest plugin, loaded by
the root conftest).

moto's server mode (test extra `moto[server]`: made to stand in for S3 in
tests, speaking its HTTP API) listens on a free port of 127.0.0.1 for the test
session. `s3_media` gives a test a fresh bucket and makes it the media storage
of this process, as BALAI_MEDIA_S3_BUCKET does; `.env` configures a child
Balai process the same way.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import boto3
import pytest

from balai.settings import s3_storage

ACCESS_KEY, SECRET_KEY, REGION = "balai-test", "rahasia-test", "us-east-1"


@dataclass
class S3Media:
    endpoint: str
    bucket: str
    client: object = field(repr=False)

    def names(self) -> list[str]:
        """Every object's key in the bucket."""
        listed = self.client.list_objects_v2(Bucket=self.bucket)  # type: ignore[attr-defined]
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, name: str) -> bytes:
        found = self.client.get_object(Bucket=self.bucket, Key=name)  # type: ignore[attr-defined]
        return found["Body"].read()

    @property
    def env(self) -> dict[str, str]:
        return {
            "BALAI_MEDIA_S3_BUCKET": self.bucket,
            "BALAI_MEDIA_S3_ENDPOINT": self.endpoint,
            "BALAI_MEDIA_S3_REGION": REGION,
            "BALAI_MEDIA_S3_ACCESS_KEY": ACCESS_KEY,
            "BALAI_MEDIA_S3_SECRET_KEY": SECRET_KEY,
        }


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_media(settings, s3_server) -> S3Media:
    bucket = f"balai-{uuid.uuid4().hex[:16]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            bucket,
            endpoint=s3_server,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
        ),
    }
    return S3Media(s3_server, bucket, client)
