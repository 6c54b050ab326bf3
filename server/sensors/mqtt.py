"""The MQTT client: subscribes to ``posko/sensors/+/reading`` (QoS 1) and hands every
message to ingest.Ingest.submit (which only queues its bytes: parsing is the writer's).

paho-mqtt runs its own network thread (loop_start) and reconnects by itself with
exponential back-off (1 s doubling to 60 s), so a broker that goes away never touches the
HTTP side: consoles keep syncing, and readings resume when the broker returns. The
subscription is made in on_connect, so it is renewed on every reconnect.

MQTT 5 by default, for two things 3.1.1 lacks:

* **Receive Maximum** (``receive_maximum``, 65,535): how many QoS-1 messages the broker
  may have unacknowledged towards us. Mosquitto's own default for 3.1.1 clients is 20, so
  throughput was 20 / round-trip: a few milliseconds of GIL or scheduler delay on a busy
  machine capped ingestion near 4,000/s and the broker dropped the rest.
* **Session expiry** (``persistent``): with a stable client id (``clientid.claim``, one
  per server data directory and process slot) and clean start off, the broker keeps the
  subscription and queues QoS-1 readings while the server restarts, and delivers them
  when it reconnects. (3.1.1: ``clean_session=False``, the same with no expiry.)

Several server processes on one database each subscribe to every reading (the default):
rows are deduplicated by (sensor, time) and reports by the sensor's state under the
global write lock (ingest.py), so the second process's copy is a harmless duplicate.
``shared=True`` uses a shared subscription ($share/posko/…) instead, which spreads the
messages over the processes or connections (less work, same guarantees; a sensor's
readings may then be processed out of order, and only the newest drives its state).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import ssl
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from server.sensors.readings import TOPIC_FILTER

log = logging.getLogger("posko.server.sensors.mqtt")

#: Mosquitto's default for clients that do not say (and MQTT 3.1.1's only choice) is 20.
RECEIVE_MAXIMUM = 65535
#: How long the broker keeps a persistent session (and queues readings) for a server
#: that is away: a restart or an upgrade, not a decommissioning.
SESSION_EXPIRY_S = 24 * 3600
_PUBACK = struct.Struct("!BBH")
#: The network thread waits this long when the socket turns readable, so a stream of
#: readings is read, handled and acknowledged a dozen at a time rather than one per
#: select() (+2 ms of latency; against a 2 s reading-to-console target).
READ_PAUSE_S = 0.002


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
    #: the exact client id; None: a random one, or with ``persistent`` one claimed per
    #: data directory and process slot (clientid.claim, SensorService)
    client_id: str | None = None
    #: ``--mqtt-client-id``: the base of the claimed ids instead of the generated one
    client_id_base: str | None = None
    #: keep the session (subscription and queued readings) at the broker across restarts;
    #: needs a stable ``client_id`` (clientid.claim) - a random one would leave a new
    #: session behind at every start
    persistent: bool = False
    session_expiry_s: int = SESSION_EXPIRY_S
    receive_maximum: int = RECEIVE_MAXIMUM
    mqtt5: bool = True
    #: acknowledge a QoS-1 reading once it is in the database (Ingest.on_done ->
    #: acknowledge), not when it is queued: a crash then loses nothing the broker holds
    ack_after_write: bool = True
    #: what to subscribe to: all sensors; tests on a shared broker narrow it to their own
    #: sensor's topic (readings.TOPIC_RE still applies)
    topic_filter: str = TOPIC_FILTER

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


class _BufferedClient(mqtt.Client):
    """paho reads a packet with three recv() calls (type, length, body) and goes back to
    select() after each one, and sends every PUBACK with its own send() after waking its
    own select() with another. With up to RECEIVE_MAXIMUM messages arriving at once, this
    reads what the socket holds in one recv(), handles every whole packet in it before
    selecting again, and acknowledges them in one send(); and it hands a PUBLISH to the
    server without paho's per-message objects. (Overrides four private methods of
    paho-mqtt 2.2, the locked version: tests/server/test_sensor_ingest_session.py and
    test_sensors.py run it against the real broker.)"""

    _rsock: object = None
    _rbuf: bytes = b""
    _rpos: int = 0

    def _sock_recv(self, bufsize: int) -> bytes:
        if self._rsock is not self._sock:  # a new connection: nothing of the old one is kept
            self._rsock, self._rbuf, self._rpos = self._sock, b"", 0
        if self._rpos >= len(self._rbuf):
            data = super()._sock_recv(max(bufsize, 65536))
            if len(data) <= bufsize:
                return data
            self._rbuf, self._rpos = data, 0
        end = self._rpos + bufsize
        out = self._rbuf[self._rpos:end]
        self._rpos = min(end, len(self._rbuf))
        return out

    def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
        if READ_PAUSE_S and self._thread is not None:
            time.sleep(READ_PAUSE_S)
        rc = super().loop_read(max_packets)
        while (rc == mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS and self._sock is not None
               and self._rsock is self._sock and self._rpos < len(self._rbuf)):
            rc = super().loop_read(max_packets)
        return rc

    #: (topic, payload, qos, mid) -> None, set by SensorClient: the PUBLISH fast path
    on_publish_fast = None

    def _handle_publish(self) -> mqtt.MQTTErrorCode:
        """A QoS 0/1 PUBLISH straight to ``on_publish_fast``. paho builds an MQTTMessage
        and, on MQTT 5, a Properties object per message, whose constructor alone was a
        third of the network thread's time (profiled); readings carry no property the
        server uses, so they are skipped unread. Anything unusual (QoS 2, a malformed
        packet) takes paho's own path."""
        handler = self.on_publish_fast
        header = self._in_packet["command"]
        qos = (header & 0x06) >> 1
        if handler is None or qos == 2:
            return super()._handle_publish()
        data = self._in_packet["packet"]
        try:
            end = 2 + int.from_bytes(data[0:2], "big")
            topic = data[2:end]
            if len(topic) != end - 2 or not topic:
                raise ValueError("short packet")
            mid = 0
            if qos:
                mid = int.from_bytes(data[end:end + 2], "big")
                end += 2
            if self._protocol == mqtt.MQTTv5:  # skip the properties: a length, then them
                size, shift = 0, 0
                while True:
                    byte = data[end]
                    end += 1
                    size |= (byte & 0x7F) << shift
                    shift += 7
                    if not byte & 0x80:
                        break
                end += size
                if end > len(data):
                    raise ValueError("short packet")
            payload = data[end:]
            text = topic.decode("utf-8", "replace")
        except (ValueError, IndexError):
            return super()._handle_publish()
        handler(text, bytes(payload), qos, mid)
        if qos == 1 and not self._manual_ack:
            return self._send_puback(mid)
        return mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS

    def _send_puback(self, mid: int) -> mqtt.MQTTErrorCode:
        """On the network thread (paho acknowledges a QoS-1 message there after
        on_message), append the PUBACK to a pending one: the acknowledgements of a burst go
        out in one send(), and the loop writes them before it selects again, so the byte
        paho sends itself to wake its select() is not needed either."""
        if self._thread is None or threading.current_thread() is not self._thread:
            return super()._send_puback(mid)
        packet = _PUBACK.pack(mqtt.PUBACK, 2, mid)
        out = self._out_packet
        if out:
            last = out[-1]
            if (last["command"] == mqtt.PUBACK and last["pos"] == 0
                    and isinstance(last["packet"], bytearray)):
                last["packet"] += packet
                last["to_process"] += len(packet)
                return mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS
        out.append({"command": mqtt.PUBACK, "mid": mid, "qos": 1, "pos": 0,
                    "to_process": len(packet), "packet": bytearray(packet), "info": None})
        return mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS


class SensorClient:
    def __init__(self, settings: MqttSettings, on_message) -> None:  # noqa: ANN001
        self.settings = settings
        self.host, self.port, tls = settings.endpoint()
        self._on_message = on_message
        self.connected = False
        #: the broker acknowledged the subscription of the current connection (SUBACK):
        #: from then on every reading published reaches us
        self.subscribed = False
        self.connects = 0
        #: the broker still held our session at the last connect (persistent sessions)
        self.session_present = False
        # Unique per client: a broker disconnects the older of two clients with one id.
        self.client_id = settings.client_id or (
            f"posko-{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}")
        if settings.persistent and not settings.client_id:
            raise ValueError("a persistent MQTT session needs a stable client id")
        if settings.mqtt5:
            self.client = _BufferedClient(mqtt.CallbackAPIVersion.VERSION2,
                                          client_id=self.client_id, protocol=mqtt.MQTTv5,
                                          reconnect_on_failure=True,
                                          manual_ack=settings.ack_after_write)
        else:
            self.client = _BufferedClient(mqtt.CallbackAPIVersion.VERSION2,
                                          client_id=self.client_id, protocol=mqtt.MQTTv311,
                                          clean_session=not settings.persistent,
                                          reconnect_on_failure=True,
                                          manual_ack=settings.ack_after_write)
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
        self.client.on_subscribe = self._subscribed
        self.client.on_message = self._message
        self.client.on_publish_fast = self._publish
        topic = settings.topic_filter
        self.topic = f"$share/posko/{topic}" if settings.shared else topic

    def start(self) -> None:
        # connect_async + loop_start: an absent broker at start is retried like a lost one;
        # the server starts serving consoles either way.
        s = self.settings
        if s.mqtt5:
            props = Properties(PacketTypes.CONNECT)
            props.ReceiveMaximum = max(1, min(s.receive_maximum, 65535))
            if s.persistent:
                props.SessionExpiryInterval = s.session_expiry_s
            self.client.connect_async(self.host, self.port, keepalive=30,
                                      clean_start=not s.persistent, properties=props)
        else:
            self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        log.info("MQTT: connecting to %s:%d as %s for %s", self.host, self.port,
                 self.client_id, self.topic)

    def stop(self) -> None:
        self.connected = False  # ours: not a loss worth a warning
        self.subscribed = False
        self.client.disconnect()
        self.client.loop_stop()

    def _connected(self, client, _userdata, flags, reason, _props) -> None:  # noqa: ANN001
        if reason.is_failure:
            log.warning("MQTT: %s:%d refused the connection: %s", self.host, self.port, reason)
            return
        self.connected = True
        self.connects += 1
        self.session_present = bool(flags.session_present)
        # Also with a session the broker kept: subscribing again is harmless, and it makes
        # the subscription whatever this version of the server wants.
        client.subscribe(self.topic, qos=1)
        log.info("MQTT: connected to %s:%d, subscribed to %s%s", self.host, self.port,
                 self.topic, " (session resumed)" if self.session_present else "")

    def _subscribed(self, _client, _userdata, _mid, reasons, _props) -> None:  # noqa: ANN001
        failed = [r for r in reasons if r.is_failure]
        if failed:
            log.warning("MQTT: %s:%d refused the subscription to %s: %s", self.host,
                        self.port, self.topic, failed[0])
            return
        self.subscribed = True

    def _disconnected(self, _client, _userdata, _flags, reason, _props) -> None:  # noqa: ANN001
        was, self.connected = self.connected, False
        self.subscribed = False
        if was:
            log.warning("MQTT: lost %s:%d (%s); reconnecting with back-off", self.host,
                        self.port, reason)

    def ack(self, connection: int, mids: list[int]) -> None:
        """Acknowledge QoS-1 messages (any thread): one packet of PUBACKs, queued for the
        network thread. Only those of the current connection: after a reconnect the
        broker sends the unacknowledged ones again (a persistent session, with their
        packet ids) or has forgotten them (a clean one, whose ids now name other
        messages) - the copies are stored once either way."""
        if connection != self.connects or not self.connected or not mids:
            return
        packet = b"".join(_PUBACK.pack(mqtt.PUBACK, 2, mid) for mid in mids)
        self.client._packet_queue(mqtt.PUBACK, packet, 0, 0)

    def _publish(self, topic: str, payload: bytes, qos: int, mid: int) -> None:
        token = (self, self.connects, mid) if qos and self.settings.ack_after_write else None
        try:
            self._on_message(topic, payload, token)
        except Exception:  # noqa: BLE001 - paho would drop the connection on an exception
            log.exception("MQTT: message on %r could not be handled", topic)

    def _message(self, _client, _userdata, msg) -> None:  # noqa: ANN001
        token = (self, self.connects, msg.mid) if msg.qos and self.settings.ack_after_write \
            else None
        try:
            self._on_message(msg.topic, msg.payload, token)
        except Exception:  # noqa: BLE001 - paho would drop the connection on an exception
            log.exception("MQTT: message on %r could not be handled", msg.topic)


def acknowledge(tokens: list) -> None:
    """Ingest.on_done: acknowledge written messages, per client and connection, in the
    order they came (MQTT wants PUBACKs in order)."""
    groups: dict[tuple[SensorClient, int], list[int]] = {}
    for client, connection, mid in tokens:
        groups.setdefault((client, connection), []).append(mid)
    for (client, connection), mids in groups.items():
        client.ack(connection, mids)
