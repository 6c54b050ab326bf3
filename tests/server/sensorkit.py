"""Helpers of the sensor tests: the real Mosquitto broker, a cuttable TCP proxy in front
of it, a publisher, and a gauge on the live server with a sensor service reading it."""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

BROKER = ("127.0.0.1", 1883)


def broker_up(port: int = BROKER[1]) -> bool:
    try:
        with socket.create_connection((BROKER[0], port), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def quiet_broker() -> Iterator[int | None]:
    """The port of a Mosquitto for one test: a private instance on a free port when the
    binary is installed (console/sync/testing/mosquitto.py: the machine's broker on 1883
    is shared), else 1883 when it answers, else None."""
    from console.sync.testing.mosquitto import private_broker

    with private_broker() as port:
        yield port if port is not None else (BROKER[1] if broker_up() else None)


needs_broker = pytest.mark.skipif(
    not broker_up(), reason="no MQTT broker answers on 127.0.0.1:1883 (install and start "
    "mosquitto; .ci/run starts it when it is installed)")


def iso_ms(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, UTC).isoformat().replace("+00:00", "Z")


def sensor_id(prefix: str = "T") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


class Publisher:
    def __init__(self, port: int = BROKER[1]) -> None:
        import paho.mqtt.client as mqtt

        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                                  client_id=f"test-pub-{secrets.token_hex(4)}")
        self.client.connect(BROKER[0], port)
        self.client.loop_start()

    def raw(self, topic: str, payload: bytes | str) -> None:
        self.client.publish(topic, payload, qos=1).wait_for_publish(5)

    def reading(self, sid: str, value, at_ms: int, times: int = 1) -> None:  # noqa: ANN001
        for _ in range(times):
            self.raw(f"posko/sensors/{sid}/reading", json.dumps({"value": value,
                                                                 "at": iso_ms(at_ms)}))

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def wait_for(cond, timeout: float = 10.0, what: str = "condition") -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def new_gauge(live, prefix: str, region: str, kind: str = "water_level",  # noqa: ANN001
              interval_s: int = 60) -> str:
    """A new sensor registered on the live server, in ``region``, with its kind's
    thresholds (water level: warn 100, danger 150); its id (:func:`sensor_id`)."""
    from server.sensors import registry

    sid = sensor_id(prefix)
    warn, danger = {"water_level": (100, 150), "rain": (20, 50), "air_quality": (55, 150)}[kind]
    registry.add_sensor(live.ctx.db, sid, kind=kind, lat=-6.91, lon=107.59, warn=warn,
                        danger=danger, interval_s=interval_s, region=region)
    return sid


def stored_readings(live, sid: str) -> int:  # noqa: ANN001
    """How many readings of ``sid`` the live server's database holds."""
    from sqlalchemy import text

    with live.ctx.db.read() as conn:
        return conn.execute(text("SELECT count(*) FROM sensor_reading WHERE sensor_id = :s"),
                            {"s": sid}).scalar()


def subscribed(client, what: str = "the MQTT connection") -> None:  # noqa: ANN001
    """Wait until a sensor service's MQTT ``client`` is connected and the broker has
    acknowledged its subscription (SUBACK): from then on every reading published arrives."""
    wait_for(lambda: client.connected and client.subscribed, what=what)


def started(service):  # noqa: ANN001, ANN201 - a SensorService
    """``service`` started and :func:`subscribed`."""
    service.start()
    subscribed(service.client)
    return service


class Proxy:
    """A TCP relay to the broker that a test can cut (every connection closed, the port
    no longer listening) and restore on the same port: the broker 'disappears and
    returns' without touching the machine's Mosquitto."""

    def __init__(self) -> None:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        self._conns: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        ls = socket.socket()
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", self.port))
        ls.listen(16)
        self._listener = ls
        threading.Thread(target=self._accept, args=(ls,), daemon=True).start()

    def _accept(self, ls: socket.socket) -> None:
        while True:
            try:
                client, _ = ls.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(BROKER, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            conns, self._conns = self._conns, []
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def forget_session(client_id: str) -> None:
    """Remove a persistent session a test left at the broker (clean start, expiry 0), so
    it does not keep queueing every later test's readings."""
    import paho.mqtt.client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                    protocol=mqtt.MQTTv5)
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 0
    try:
        c.connect(BROKER[0], BROKER[1], clean_start=True, properties=props)
        c.loop_start()
        wait_for(c.is_connected, what=f"{client_id} to connect")
        c.disconnect()
        c.loop_stop()
    except (OSError, AssertionError):
        pass
