"""Production settings pass Django's deployment checklist with a realistic environment."""

import subprocess
import sys
from pathlib import Path

from conftest import production_env

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_with_production_settings():
    env = production_env(
        REDIS_URL="redis://cache.internal:6379/0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_can_keep_private_files_on_s3_compatible_storage():
    env = production_env(
        SANTUN_S3_BUCKET="santun-private",
        SANTUN_S3_ENDPOINT_URL="https://s3.internal.example.go.id",
    )
    code = ("from django.core.files.storage import storages; s = storages['default']; "
            "print(type(s).__name__, s.bucket_name, s.default_acl)")
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "santun-private", "private"]


def test_behind_the_load_balancer_sign_in_limits_count_the_client_and_lost_tasks_come_back():
    env = production_env(
        REDIS_URL="redis://cache.internal:6379/0",
        CELERY_VISIBILITY_TIMEOUT="7200",
    )
    code = ("from django.test import RequestFactory; from allauth.core.internal.httpkit import get_client_ip; "
            "from django.conf import settings; "
            "r = RequestFactory().get('/', REMOTE_ADDR='10.0.0.5', HTTP_X_FORWARDED_FOR='203.0.113.7'); "
            "print(get_client_ip(r), settings.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'])")
    result = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Two users behind the same nginx do not share one sign-in rate limit.
    assert result.stdout.split() == ["203.0.113.7", "7200"]
