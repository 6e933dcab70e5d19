"""Django's management commands for the benchmark's django-helpdesk project.

var/bench-peer-venv/bin/python bench/peer/manage.py migrate
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")

from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
