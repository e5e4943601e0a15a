"""`gembahall serve` starts the periodic job every minute beside its worker."""

import pytest
from django.core.management import call_command

from gembahall.core.management.commands import serve


class FakeProcess:
    def __init__(self, command, polls=None):
        self.command = command
        self.polls = list(polls or [])
        self.returncode = 0

    def poll(self):
        return self.polls.pop(0) if self.polls else 0

    def terminate(self):
        pass

    def wait(self, timeout=None):
        return 0


def test_the_ticker_starts_tick_each_minute_never_two_at_once(monkeypatch):
    started = []

    def popen(command):
        started.append(command)
        return FakeProcess(command, polls=[None])  # running at the next poll

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    ticker = serve.Ticker("python")
    ticker.poll(0.0)
    ticker.poll(61.0)  # the first tick still runs: none started beside it
    ticker.poll(62.0)  # it ended, but the minute since the last start is not up
    ticker.poll(120.0)
    assert started == [["python", "-m", "gembahall", "tick"]] * 2


def test_serve_runs_tick_beside_the_worker(monkeypatch):
    started = []

    def popen(command, **kwargs):
        started.append(command)
        is_web = "gunicorn" in command
        return FakeProcess(command, polls=[None, None, None] if is_web else [None])

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    with pytest.raises(SystemExit):
        call_command("serve")
    tails = [command[2:] for command in started]
    assert ["gembahall", "tick"] in tails
    assert any("db_worker" in command for command in started)


def test_serve_without_the_worker_leaves_tick_to_cron(monkeypatch):
    started = []

    def popen(command, **kwargs):
        started.append(command)
        return FakeProcess(command, polls=[None, None])

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)
    with pytest.raises(SystemExit):
        call_command("serve", "--no-worker")
    assert [c for c in started if c[2:] == ["gembahall", "tick"]] == []
