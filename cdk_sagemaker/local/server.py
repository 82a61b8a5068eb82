"""A local AWS: moto's threaded server on 127.0.0.1 (or moto in-process), and boto3 clients bound to it."""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import socket
import threading
import warnings
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config

from cdk_sagemaker.local.errors import ServerError

FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "aws_session_token": "testing"}
DEFAULT_REGION = "us-east-1"
_START_TIMEOUT_S = 30.0


@functools.cache
def _shared_loader() -> botocore.loaders.Loader:
    """One botocore data loader per process: it caches the service models it has read (ec2's and sagemaker's are
    megabytes of JSON), so the clients of every later local AWS in the process are made in milliseconds instead of
    tens of milliseconds each. It searches what a default session's loader would (``AWS_DATA_PATH``/``data_path``)."""
    return botocore.loaders.create_loader(botocore.session.Session().get_config_variable("data_path"))


def _botocore_session() -> botocore.session.Session:
    """A new botocore session (its own credentials and region) that reads service models through the shared loader."""
    session = botocore.session.Session()
    session.register_component("data_loader", _shared_loader())
    return session


def _dedupe_search_paths() -> None:
    """Every ``boto3.Session`` appends boto3's own data directory to its loader's search paths; with the loader shared,
    the list would grow by one entry per local AWS (and every uncached model lookup would scan them all)."""
    paths = _shared_loader().search_paths
    paths[:] = list(dict.fromkeys(paths))


class Clients:
    """boto3 clients with fake credentials, bound to ``endpoint_url`` (None: moto in-process), cached per region."""

    def __init__(self, endpoint_url: str | None, *, region: str = DEFAULT_REGION, retries: bool = False) -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self.session = boto3.Session(botocore_session=_botocore_session(), region_name=region, **FAKE_CREDENTIALS)
        _dedupe_search_paths()
        attempts = {"total_max_attempts": 3} if retries else {"total_max_attempts": 1}
        self._config = Config(retries=attempts, connect_timeout=10, read_timeout=120)
        self._cache: dict[tuple[str, str], Any] = {}

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client for ``service`` in ``region`` (default: this object's region)."""
        key = (service, region or self.region)
        if key not in self._cache:
            self._cache[key] = self.session.client(
                service, region_name=key[1], endpoint_url=self.endpoint_url, config=self._config
            )
        return self._cache[key]


class _ExceptionCapture:
    """Keeps the exceptions moto's server raised while it answered HTTP 500, so errors can name their cause."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.errors: list[BaseException] = []

    def add(self, error: BaseException) -> None:
        """Remember ``error`` (the last 20 are kept)."""
        with self._lock:
            self.errors.append(error)
            del self.errors[:-20]

    def take(self) -> BaseException | None:
        """The last captured exception (and forget them all)."""
        with self._lock:
            last = self.errors[-1] if self.errors else None
            self.errors.clear()
            return last

    def wrap(self, app: Any) -> Any:
        """A WSGI app that records what ``app`` raises, then lets the server answer 500 as before."""

        def capturing_app(environ: Any, start_response: Any) -> Any:
            try:
                return app(environ, start_response)
            except Exception as error:
                self.add(error)
                raise

        return capturing_app


_CAPTURE = _ExceptionCapture()


def last_server_exception() -> BaseException | None:
    """The last exception moto's server raised while answering a request (it answered HTTP 500), if any."""
    return _CAPTURE.take()


@contextlib.contextmanager
def quiet_moto() -> Iterator[None]:
    """Silence moto's per-request log lines, server tracebacks and 'not supported' warnings."""
    moto_logger = logging.getLogger("moto")
    werkzeug_logger = logging.getLogger("werkzeug")
    saved = (moto_logger.level, werkzeug_logger.level)
    moto_logger.setLevel(logging.ERROR)  # "No Moto CloudFormation support for ..." warnings: the report lists them
    werkzeug_logger.setLevel(logging.CRITICAL)  # request lines and server tracebacks: errors name their cause
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*not supported by moto's CloudFormation", category=UserWarning)
        try:
            yield
        finally:
            moto_logger.setLevel(saved[0])
            werkzeug_logger.setLevel(saved[1])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _check_port(port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            reason = "in use" if error.errno == errno.EADDRINUSE else error.strerror
            raise ServerError(f"cannot start moto on 127.0.0.1:{port}: port {reason}") from None


def _import_moto_server() -> Any:
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        raise ServerError(
            f"moto is not installed ({error}); install the extra: pip install 'cdk-sagemaker[local]'"
        ) from None
    return ThreadedMotoServer


class MotoServer:
    """moto's threaded server on 127.0.0.1; a context manager that always stops it.

    ``port=None`` picks a free port. ``endpoint_url`` is valid once started.
    """

    def __init__(self, port: int | None = None) -> None:
        self.port = port if port is not None else free_port()
        self._server: Any = None
        self._quiet: contextlib.ExitStack | None = None

    @property
    def endpoint_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MotoServer:
        """Start the server; raises :class:`ServerError` when moto is missing or the port is taken."""
        server_class = _import_moto_server()
        _speed_up_moto()
        _check_port(self.port)
        self._quiet = contextlib.ExitStack()
        self._quiet.enter_context(quiet_moto())
        server = server_class(ip_address="127.0.0.1", port=self.port, verbose=False)
        starter = threading.Thread(target=server.start, daemon=True)
        starter.start()
        starter.join(_START_TIMEOUT_S)
        if starter.is_alive():  # the server thread died before binding: start() waits forever
            self._quiet.close()
            raise ServerError(f"cannot start moto on 127.0.0.1:{self.port} (is the port in use?)")
        self._server = server
        wsgi_server = getattr(server, "_server", None)  # werkzeug's server: wrap its app to capture exceptions
        if wsgi_server is not None and hasattr(wsgi_server, "app"):
            wsgi_server.app = _CAPTURE.wrap(wsgi_server.app)
        return self

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()
        if self._quiet is not None:
            self._quiet.close()
            self._quiet = None

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def _speed_up_moto() -> None:
    from cdk_sagemaker.local.workarounds.speed import install

    install()


@contextlib.contextmanager
def in_process_moto() -> Iterator[None]:
    """moto in this process (``mock_aws``): no port, no HTTP; clients need ``endpoint_url=None``."""
    try:
        from moto import mock_aws
    except ImportError as error:
        raise ServerError(
            f"moto is not installed ({error}); install the extra: pip install 'cdk-sagemaker[local]'"
        ) from None
    _speed_up_moto()
    with quiet_moto(), mock_aws():
        yield
