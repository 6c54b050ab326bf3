"""City sensors over MQTT (issue 15): the registry, ingestion, thresholds, storage.

- models.py: the sensor, sensor_reading (raw, a day) and sensor_rollup (5-minute) tables;
- registry.py: add/list/disable sensors (``posko server add-sensor`` …) and the cache;
- readings.py: parsing and checking one MQTT message (bad input is counted, never raised);
- thresholds.py: the per-sensor state machine (pure: no database);
- ingest.py: the worker thread that writes batches and turns crossings into reports;
- mqtt.py: the paho-mqtt client (MQTT 5, reconnects with back-off; never stops the
  server; acknowledges a reading once it is written);
- clientid.py: the stable client id per data directory and process slot that a
  persistent session needs;
- service.py: the ingest worker and the client as one unit ``posko server run`` starts.
"""
