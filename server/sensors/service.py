"""Sensor ingestion as one unit the server starts and stops: the ingest worker and the
MQTT client. Started by ``posko server run --mqtt`` (server/cli.py) around the HTTP
server (in the supervising process when there are --workers: one MQTT client per run),
so a broker that is down never delays or stops serving consoles.

With a persistent session (``posko server run``'s default) the client id is claimed per
data directory and process slot (clientid.py), so a restarted server resumes its session
at the broker and receives the readings published while it was down."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from server.db import Database
from server.reference import Reference
from server.sensors.clientid import ClaimedId, claim
from server.sensors.ingest import Ingest
from server.sensors.mqtt import MqttSettings, SensorClient, acknowledge

log = logging.getLogger("posko.server.sensors")


class SensorService:
    def __init__(self, db: Database, ref: Reference, mqtt: MqttSettings, *,
                 tz: str = "Asia/Jakarta", data_dir: Path | None = None) -> None:
        self._claimed: ClaimedId | None = None
        if mqtt.persistent and not mqtt.client_id:
            if data_dir is None:
                raise ValueError("a persistent MQTT session needs the server's data directory "
                                 "(its client id is kept there)")
            self._claimed = claim(data_dir, mqtt.client_id_base)
            mqtt = dataclasses.replace(mqtt, client_id=self._claimed.client_id)
        self.ingest = Ingest(db, ref, tz=tz)
        self.ingest.on_done = acknowledge
        self.client = SensorClient(mqtt, self.ingest.submit)

    @classmethod
    def open(cls, settings, mqtt: MqttSettings, ctx=None) -> SensorService:  # noqa: ANN001
        """On the app's database when it runs in this process (``ctx``, its Context):
        its bell then rings for a sensor report at commit, so watching consoles' long
        polls wake at once - on SQLite the bell hears only writes made through that one
        Database (server/bell.py). Otherwise (a supervisor of --workers processes, which
        hear each other through PostgreSQL's NOTIFY) with its own connection pool on the
        already migrated database."""
        from server.settings import default_data_dir

        data_dir = Path(settings.data_dir or default_data_dir())
        if ctx is not None:
            return cls(ctx.db, ctx.ref, mqtt, tz=settings.tz, data_dir=data_dir)
        db = Database(settings.db_url)
        return cls(db, Reference(db, settings.city), mqtt, tz=settings.tz, data_dir=data_dir)

    def start(self) -> None:
        self.ingest.start()
        self.client.start()

    def stop(self) -> None:
        # The client first: what the broker still holds stays in its session; what the
        # client took is in the queue, which the worker writes before it ends (its
        # acknowledgements cannot go out any more: the broker sends those again, and
        # they are stored once).
        self.client.stop()
        self.ingest.stop()
        if self._claimed is not None:
            self._claimed.release()
        log.info("sensor ingestion stopped: %s", self.ingest.stats.snapshot())
