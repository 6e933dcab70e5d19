"""Where the files are kept, from the environment: the local folder unless
PINTU_STORAGE_URL names an S3-compatible bucket, and a clear refusal of anything else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from pintu.core.files import LOCAL_BACKEND, S3_BACKEND, storage_from_environment


@pytest.mark.parametrize(
    "environ", [{}, {"PINTU_STORAGE_URL": "  "}, {"PINTU_STORAGE_URL": "file:"}]
)
def test_without_a_storage_url_files_stay_in_the_local_folder(environ: dict[str, str]) -> None:
    assert storage_from_environment(environ) == {"BACKEND": LOCAL_BACKEND}


def test_an_s3_url_names_the_bucket_the_prefix_and_the_store() -> None:
    storage = storage_from_environment(
        {
            "PINTU_STORAGE_URL": "s3://polman-pintu/kampus-a/",
            "PINTU_S3_ENDPOINT_URL": "https://minio.kampus.ac.id:9000",
            "PINTU_S3_REGION": "id-jkt-1",
            "PINTU_S3_ACCESS_KEY_ID": "pintu",
            "PINTU_S3_SECRET_ACCESS_KEY": "rahasia",
        }
    )
    assert storage == {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": "polman-pintu",
            "location": "kampus-a",
            "endpoint_url": "https://minio.kampus.ac.id:9000",
            "region_name": "id-jkt-1",
            "access_key": "pintu",
            "secret_key": "rahasia",
        },
    }


def test_without_keys_the_hosts_own_credentials_are_used() -> None:
    options = storage_from_environment({"PINTU_STORAGE_URL": "s3://pintu-files"})["OPTIONS"]
    assert options["location"] == "" and options["access_key"] is options["endpoint_url"] is None


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PINTU_STORAGE_URL": "/srv/pintu"}, "is not an object store"),
        ({"PINTU_STORAGE_URL": "minio://pintu/x"}, "is not an object store"),
        ({"PINTU_STORAGE_URL": "s3:///prefix"}, "names no valid bucket"),
        ({"PINTU_STORAGE_URL": "s3://Pintu_Files/x"}, "names no valid bucket"),
        ({"PINTU_STORAGE_URL": "s3://key:secret@pintu/x"}, "the keys go in"),
        ({"PINTU_STORAGE_URL": "s3://pintu/x?region=a"}, "only the bucket and prefix"),
        (
            {"PINTU_STORAGE_URL": "s3://pintu", "PINTU_S3_ENDPOINT_URL": "minio:9000"},
            "PINTU_S3_ENDPOINT_URL='minio:9000' is not an http",
        ),
        (
            {"PINTU_STORAGE_URL": "s3://pintu", "PINTU_S3_ACCESS_KEY_ID": "pintu"},
            "go together",
        ),
    ],
)
def test_a_malformed_storage_setting_is_refused_naming_it(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        storage_from_environment(environ)
