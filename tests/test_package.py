"""The built package is the whole service: installed into a fresh virtualenv, Django starts from it
outside the checkout, with every app, the templates, the built static files and the PDF fonts."""

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# What a checkout holds that is not the service: left out of the copy the wheel is built from.
_NOT_SOURCE_ANYWHERE = shutil.ignore_patterns("__pycache__", "*.egg-info")
_NOT_SOURCE_AT_ROOT = {".git", "node_modules", ".venv", "var", "staticfiles", "build", "dist", "test-results",
                       ".pytest_cache", ".ruff_cache"}


def NOT_SOURCE(folder, names):
    ignored = _NOT_SOURCE_ANYWHERE(folder, names)
    return ignored | (_NOT_SOURCE_AT_ROOT & set(names) if Path(folder) == ROOT else set())


def _run(*command, cwd, env=None):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    if not (ROOT / "static" / "build" / "hub.css").exists():
        pytest.fail("static/build is missing: run `npm run build` first (scripts/test.sh does)")
    tmp = tmp_path_factory.mktemp("package")
    source = tmp / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE, symlinks=True)
    _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", tmp / "dist", source, cwd=tmp)
    [built] = (tmp / "dist").glob("training_hub-*.whl")
    return built


def _local_apps() -> set[str]:
    return {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0] / "apps.py").exists()}


@pytest.mark.slow
def test_the_wheel_holds_every_app_the_templates_the_built_static_files_and_the_fonts(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {name.split("/")[0] for name in names}
    assert _local_apps() <= tops, f"apps missing from the package: {_local_apps() - tops}"
    for app in _local_apps():
        assert any(name.startswith(f"{app}/migrations/") for name in names) or not (ROOT / app / "migrations").exists()
    tracked_templates = {str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*") if p.is_file()}
    assert tracked_templates <= names
    assert {"static/build/hub.css", "static/build/govuk-frontend.min.js", "static/hub.js",
            "lib/fonts/DejaVuSans.ttf", "lib/fonts/DejaVuSans-Bold.ttf"} <= names
    assert not any(name.startswith(("tests/", "bench/", "node_modules/", "scripts/")) for name in names)


@pytest.mark.slow
def test_the_wheel_installed_in_a_fresh_virtualenv_starts_django_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel,
         cwd=tmp_path)
    # The dependencies come from this test run's own environment, appended after the fresh venv's
    # packages (a path in a .pth file: the hub installed there, if any, is not on it).
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                        cwd=tmp_path).strip())
    (purelib / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}", "PYTHONPATH": "",
            "STATIC_ROOT": str(tmp_path / "collected")}
    assert "System check identified no issues" in _run(venv / "bin" / "training-hub", "check", cwd=elsewhere, env=env)

    script = textwrap.dedent("""
        import django, pathlib, sys
        django.setup()
        import config, notifications, reports, resources
        from django.conf import settings
        from django.contrib.staticfiles import finders
        from django.template.loader import get_template
        from django.test import Client
        from lib.pdf import FONTS

        site = pathlib.Path(sys.prefix).resolve()
        for module in (config, notifications, reports, resources):
            assert site in pathlib.Path(module.__file__).resolve().parents, module.__file__
        get_template("base.html")
        get_template("errors/404.html")
        assert finders.find("build/hub.css") and finders.find("hub.js")
        assert (FONTS / "DejaVuSans.ttf").is_file()
        from config.celery import app  # what `celery -A config worker` loads
        app.loader.import_default_modules()
        assert {"notifications.tasks.send_message", "health.tasks.record_beat_run"} <= set(app.tasks)
        response = Client().get("/accessibility/")
        assert response.status_code == 200, response.status_code
        assert settings.PARTNERSHIP_NAME in response.text
        print("started from", pathlib.Path(config.__file__).parent)
    """)
    out = _run(python, "-c", script, cwd=elsewhere, env=env | {"DJANGO_SETTINGS_MODULE": "config.settings"})
    assert str(venv.resolve()) in out
