"""The Procfile and the systemd units say what the deployment guide says, and the environment file
names only settings the service reads."""

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"


def _procfile() -> dict[str, list[str]]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {name: shlex.split(command) for name, command in (line.split(": ", 1) for line in lines if line)}


def _exec_start(unit: str) -> list[str]:
    text = (UNITS / unit).read_text().replace("\\\n", " ")
    commands = [line.split("=", 1)[1] for line in text.splitlines() if line.startswith("ExecStart=")]
    return shlex.split(commands[-1])


def test_the_procfile_names_workers_apart_gives_each_web_process_its_port_and_turns_off_the_control_socket():
    processes = _procfile()
    assert set(processes) == {"release", "web", "worker", "beat"}
    web, worker, beat = processes["web"], processes["worker"], processes["beat"]
    assert web[0] == "gunicorn" and "--bind" in web and web[web.index("--bind") + 1].endswith(":${PORT:-8000}")
    assert "--no-control-socket" in web
    assert worker[:4] == ["celery", "-A", "config", "worker"]
    assert re.fullmatch(r"\$\{WORKER_NAME:-worker\}@%h", worker[worker.index("-n") + 1])
    assert beat[:4] == ["celery", "-A", "config", "beat"] and "--schedule" in beat
    assert "manage.py" not in " ".join(processes["release"])  # the installed service has no checkout


def test_the_units_run_the_virtualenvs_programs_like_the_procfile():
    venv = "/opt/training-hub/venv/bin/"
    web = _exec_start("training-hub-web@.service")
    assert web[0] == venv + "gunicorn" and web[web.index("--bind") + 1] == "0.0.0.0:%i"
    assert "--no-control-socket" in web
    worker = _exec_start("training-hub-worker@.service")
    assert worker[0] == venv + "celery" and worker[worker.index("-n") + 1] == "worker%i@%H"
    beat = _exec_start("training-hub-beat.service")
    assert beat[0] == venv + "celery" and beat[1:4] == ["-A", "config", "beat"]
    assert _exec_start("training-hub-release.service")[0] == venv + "training-hub"
    for unit in UNITS.glob("*.service"):
        assert "EnvironmentFile=/etc/training-hub/env" in unit.read_text(), unit.name


def test_the_environment_file_names_only_settings_the_service_reads_and_leaves_stripe_api_base_unset():
    read = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', (ROOT / "config" / "settings.py").read_text()))
    lines = [line for line in (UNITS / "training-hub.env.example").read_text().splitlines()
             if line and not line.startswith("#")]
    names = {line.split("=", 1)[0] for line in lines}
    assert names <= read, f"not read by config/settings.py: {names - read}"
    assert "STRIPE_API_BASE" not in names
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "DJANGO_HTTPS", "STATIC_ROOT"} <= names
