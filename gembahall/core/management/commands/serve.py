"""Serve the app with gunicorn and run the background worker beside it."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

RESTART_DELAY = 1.0


class Command(BaseCommand):
    help = "Serve Gemba Hall with gunicorn, and run the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT", "8000"))
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3"))
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1"))
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the worker."
        )

    def handle(self, *args, host, port, workers, threads, no_worker, **options):
        python = sys.executable
        worker_cmd = [python, "-m", "gembahall", "db_worker"]
        worker_cmd += ["--queue-name", "*", "--no-reload"]
        web = subprocess.Popen(
            [python, "-m", "gunicorn", "config.wsgi:application"]
            + ["--bind", f"{host}:{port}", "--workers", str(workers)]
            + ["--threads", str(threads), "--access-logfile", "-"]
            # The database's busy timeout is set just below it (settings).
            + ["--timeout", str(settings.WEB_TIMEOUT)]
            + ["--log-level", "warning"]
        )
        worker = None if no_worker else subprocess.Popen(worker_cmd)
        self.stdout.write(f"Gemba Hall: http://{host}:{port}/")
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            for proc in (web, worker):
                if proc is not None and proc.poll() is None:
                    proc.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while web.poll() is None:
                # A worker that dies is started again, so queued jobs still run.
                if not stopping and worker is not None and worker.poll() is not None:
                    self.stderr.write("background worker stopped; starting it again")
                    time.sleep(RESTART_DELAY)
                    worker = subprocess.Popen(worker_cmd)
                time.sleep(0.5)
        finally:
            stop(None, None)
            for proc in (web, worker):
                if proc is not None:
                    proc.wait(timeout=10)
        sys.exit(web.returncode)
