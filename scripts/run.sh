#!/usr/bin/env bash
# Installs everything and runs the hub on its embedded default at http://127.0.0.1:8000:
# SQLite in var/, Celery tasks run in-process, emails written to var/emails/, demo data loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

install_pdf_libraries
install_python
install_frontend
mkdir -p var/emails var/demo-emails
export EMAIL_BACKEND=${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}
export EMAIL_FILE_PATH=${EMAIL_FILE_PATH:-$PWD/var/emails}
.venv/bin/python manage.py migrate --noinput -v0
# The demo's own emails (its bookings' confirmations and reminders) go to a folder of their own, so the
# folder a new user is sent to holds only the emails they caused, their verification email first.
EMAIL_FILE_PATH=$PWD/var/demo-emails .venv/bin/python manage.py load_demo
.venv/bin/python manage.py collectstatic --noinput -v0
# The demo is a network of four partnerships: its header and page titles name the network (demo/network.py's NAME).
export NETWORK_NAME=${NETWORK_NAME:-Pan-Cheshire safeguarding training}
cat <<MSG

The training hub is starting at http://127.0.0.1:8000
  business unit pages: http://127.0.0.1:8000/programme/   API documentation: http://127.0.0.1:8000/api/
  emails (sign-up verification, password reset) are written to $EMAIL_FILE_PATH, newest last by name
  (the demo data's own emails are in $PWD/var/demo-emails)
Press Ctrl+C to stop.
MSG
exec .venv/bin/python manage.py runserver --noreload 127.0.0.1:8000
