import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_on_the_production_settings():
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is theirs, not production's.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = inherited | {"DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40, "DJANGO_HTTPS": "true",
                        "DJANGO_ALLOWED_HOSTS": "training.haltonsafeguarding.example", "DJANGO_DEBUG": "false"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_setting_stops_start_up_with_its_name():
    env = os.environ | {"DJANGO_DEBUG": "perhaps"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr
