"""The fixtures every test file shares: the user's folders, the async backend, one threaded HTTP
server, the fixture pages and the test process's eSpeak driver. Shared code (waiting, speech
recording, driving the app, the CLI, a terminal) is in tests/helpers/."""

from __future__ import annotations

import compileall
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.forkserver import close_zygotes
from helpers.paths import FIXTURES, ROOT, UserDirs, returning_user
from helpers.speech import close_shared_espeak
from pytest_httpserver import HTTPServer

from reader.model import Page


def pytest_configure(config: pytest.Config) -> None:
    """Byte-code for the reader before any test starts a process: the suite starts hundreds of
    `python -m reader` and speech workers, and where PYTHONDONTWRITEBYTECODE is set each one
    compiled the reader from source again (0.1 s of CPU or more each). Writing the caches of
    the test modules, rewritten by pytest, saves each xdist worker the same again."""
    if not hasattr(config, "workerinput"):  # once, in the process that starts the workers
        for package in ("reader", "voices"):
            compileall.compile_dir(ROOT / package, quiet=1)
    sys.dont_write_bytecode = False


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: no error where it is not loaded
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """How many test processes `-n auto` (pyproject's addopts) starts: four a core, at most six
    more than the cores. Most of the suite waits, on audio that plays in real time or on a
    process starting (test_ui_keys.py: 116 s of wall time, 37 s of CPU), so the workers that wait
    leave the cores to the ones that compute. On this 2-core machine, quiet: 3 workers 179 s,
    4 140 s, 6 121-124 s, 8 110 s for the whole suite; 8 beside two CPU burners passed in 234 s
    (3 workers there: 396-416 s on a slower day). One test named on the command line runs in
    this process. PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return int(os.environ["PYTEST_XDIST_AUTO_NUM_WORKERS"])
    if len(config.args) == 1 and "::" in config.args[0]:
        return 0
    cores = os.cpu_count() or 1
    return min(4 * cores, cores + 6)


@pytest.fixture(scope="session")
def run_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder (READER_CACHE_DIR) for the whole run, shared by its test processes: the
    natural voice's model, patched for word timings, is made there once (~4 s of CPU) instead of
    in each test that starts the voice, and never in the developer's own cache. Writing it is
    atomic (voices/_piper_worker.py), so two processes making it at once is safe.
    tests/test_piper.py keeps a folder of its own, to see the patched model made and kept."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "cache"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, run_cache: Path
) -> UserDirs:
    """No test reads or writes the developer's own settings, speech rules, positions or cache,
    and none needs a sound card. The folders are a returning user's (settings.toml there); the
    reader processes a test starts inherit them through the environment."""
    home = tmp_path_factory.mktemp("user")
    dirs = UserDirs(home / "config", home / "data")
    monkeypatch.setenv("READER_CONFIG_DIR", str(dirs.config))
    returning_user(dirs.config)
    monkeypatch.setenv("READER_DATA_DIR", str(dirs.data))
    monkeypatch.setenv("READER_CACHE_DIR", str(run_cache))
    monkeypatch.setenv("READER_AUDIO", "null")
    # Large print as most terminals and the browser draw it, whatever terminal runs the suite
    # (a sextant-drawing one would change the snapshots); sextant tests ask for sextants.
    monkeypatch.setenv("READER_BLOCKS", "quadrants")
    monkeypatch.delenv("READER_DEBUG", raising=False)
    return dirs


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def make_httpserver() -> Iterator[HTTPServer]:
    """pytest-httpserver's one server per test process, threaded: a handler that stalls (a slow
    page, a dead server) must not hold up other requests of the test."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def site(httpserver: HTTPServer) -> Callable[[str], str]:
    """The pages of tests/fixtures/navigation (links between them) on 127.0.0.1: returns the
    address of one by its file name."""
    for page in (FIXTURES / "navigation").glob("*.html"):
        httpserver.expect_request(f"/{page.name}").respond_with_data(
            page.read_text(encoding="utf-8"), content_type="text/html; charset=utf-8"
        )
    return lambda name: httpserver.url_for(f"/{name}")


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """Set when the test ends: a server handler that stalls on it (a server that never answers)
    lets go then, instead of holding a thread of the shared server."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture(scope="session", autouse=True)
def shared_espeak_closes() -> Iterator[None]:
    """The test process's eSpeak worker (helpers.speech) and its zygotes for `python -m reader`
    (helpers.forkserver) end with the session."""
    yield
    close_shared_espeak()
    close_zygotes()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """Directory of the real-shaped test pages (seed_like.html, magazine.html, faq.html)."""
    return FIXTURES


@pytest.fixture
def fixture_page() -> Callable[[str], Page]:
    """Load a fixture file as a Page, the way fetch() would hand it over."""

    def load(name: str) -> Page:
        path = FIXTURES / name
        return Page(text=path.read_text(encoding="utf-8"), url=path.as_uri(), is_html=True)

    return load
