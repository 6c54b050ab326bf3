"""The MQTT client: subscribes to ``posko/sensors/+/reading`` (QoS 1) and hands every
message to ingest.Ingest.submit.

paho-mqtt runs its own network thread (loop_start) and reconnects by itself with
exponential back-off (1 s doubling to 60 s), so a broker that goes away never touches the
HTTP side: consoles keep syncing, and readings resume when the broker returns. The
subscription is made in on_connect, so it is renewed on every reconnect.

Several server processes on one database each subscribe to every reading (the default):
rows are deduplicated by (sensor, time) and reports by the sensor's state under the
global write lock (ingest.py), so the second process's copy is a harmless duplicate.
``shared=True`` uses an MQTT 5 / Mosquitto shared subscription ($share/posko/…) instead,
which spreads the messages over the processes (less work, same guarantees; a sensor's
readings may then be processed out of order, and only the newest drives its state).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt

from server.sensors.readings import TOPIC_FILTER

log = logging.getLogger("posko.server.sensors.mqtt")


@dataclass
class MqttSettings:
    url: str
    username: str | None = None
    password: str | None = None
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    insecure: bool = False
    shared: bool = False
    client_id: str | None = None

    def endpoint(self) -> tuple[str, int, bool]:
        parts = urlsplit(self.url)
        if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
            raise ValueError(f"--mqtt wants mqtt://host:port or mqtts://host:port, not "
                             f"{self.url!r}")
        tls = parts.scheme in ("mqtts", "ssl") or self.ca_file is not None
        if not parts.hostname:
            raise ValueError(f"--mqtt {self.url!r} names no host")
        port = parts.port or (8883 if tls else 1883)
        if parts.username and not self.username:
            self.username = unquote(parts.username)
            self.password = unquote(parts.password or "") or self.password
        return parts.hostname, port, tls


class SensorClient:
    def __init__(self, settings: MqttSettings, on_message) -> None:  # noqa: ANN001
        self.settings = settings
        self.host, self.port, tls = settings.endpoint()
        self._on_message = on_message
        self.connected = False
        self.connects = 0
        # Unique per client: a broker disconnects the older of two clients with one id.
        cid = settings.client_id or (f"posko-{socket.gethostname()}-{os.getpid()}-"
                                     f"{secrets.token_hex(3)}")
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=cid,
                                  clean_session=True, reconnect_on_failure=True)
        self.client.reconnect_delay_set(min_delay=1, max_delay=60)
        if settings.username:
            self.client.username_pw_set(settings.username, settings.password)
        if tls:
            self.client.tls_set(
                ca_certs=str(settings.ca_file) if settings.ca_file else None,
                certfile=str(settings.cert_file) if settings.cert_file else None,
                keyfile=str(settings.key_file) if settings.key_file else None,
                cert_reqs=ssl.CERT_REQUIRED)
            if settings.insecure:
                self.client.tls_insecure_set(True)
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_message = self._message
        self.topic = f"$share/posko/{TOPIC_FILTER}" if settings.shared else TOPIC_FILTER

    def start(self) -> None:
        # connect_async + loop_start: an absent broker at start is retried like a lost one;
        # the server starts serving consoles either way.
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        log.info("MQTT: connecting to %s:%d for %s", self.host, self.port, self.topic)

    def stop(self) -> None:
        self.connected = False  # ours: not a loss worth a warning
        self.client.disconnect()
        self.client.loop_stop()

    def _connected(self, client, _userdata, _flags, reason, _props) -> None:  # noqa: ANN001
        if reason.is_failure:
            log.warning("MQTT: %s:%d refused the connection: %s", self.host, self.port, reason)
            return
        self.connected = True
        self.connects += 1
        client.subscribe(self.topic, qos=1)
        log.info("MQTT: connected to %s:%d, subscribed to %s", self.host, self.port, self.topic)

    def _disconnected(self, _client, _userdata, _flags, reason, _props) -> None:  # noqa: ANN001
        was, self.connected = self.connected, False
        if was:
            log.warning("MQTT: lost %s:%d (%s); reconnecting with back-off", self.host,
                        self.port, reason)

    def _message(self, _client, _userdata, msg) -> None:  # noqa: ANN001
        try:
            self._on_message(msg.topic, msg.payload)
        except Exception:  # noqa: BLE001 - paho would drop the connection on an exception
            log.exception("MQTT: message on %r could not be handled", msg.topic)
