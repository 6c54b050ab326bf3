"""Sensor ingestion as one unit the server starts and stops: the ingest worker and the
MQTT client. Started by ``posko server run --mqtt`` (server/cli.py) around the HTTP
server (in the supervising process when there are --workers: one MQTT client per run),
so a broker that is down never delays or stops serving consoles."""

from __future__ import annotations

import logging

from server.db import Database
from server.reference import Reference
from server.sensors.ingest import Ingest
from server.sensors.mqtt import MqttSettings, SensorClient

log = logging.getLogger("posko.server.sensors")


class SensorService:
    def __init__(self, db: Database, ref: Reference, mqtt: MqttSettings, *,
                 tz: str = "Asia/Jakarta") -> None:
        self.ingest = Ingest(db, ref, tz=tz)
        self.client = SensorClient(mqtt, self.ingest.submit)

    @classmethod
    def open(cls, settings, mqtt: MqttSettings) -> SensorService:  # noqa: ANN001
        """With its own connection pool on the (already migrated) database, so it runs
        the same beside one in-process app or a supervisor of --workers processes."""
        db = Database(settings.db_url)
        return cls(db, Reference(db, settings.city), mqtt, tz=settings.tz)

    def start(self) -> None:
        self.ingest.start()
        self.client.start()

    def stop(self) -> None:
        self.client.stop()
        self.ingest.stop()
        log.info("sensor ingestion stopped: %s", self.ingest.stats.snapshot())
