"""``posko server add-sensor / list-sensors / disable-sensor / enable-sensor`` and the
``run --mqtt …`` options (wired in by server/cli.py)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from server.sensors.models import KINDS

COMMANDS = ("add-sensor", "list-sensors", "disable-sensor", "enable-sensor")
PASSWORD_ENV = "POSKO_MQTT_PASSWORD"


def add_parsers(sub, db_option) -> None:  # noqa: ANN001
    add = sub.add_parser("add-sensor", help="register a city sensor (or change one's settings)")
    add.add_argument("sensor_id", metavar="ID", help="the id in its MQTT topic "
                     "posko/sensors/<ID>/reading")
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--lat", type=float, required=True)
    add.add_argument("--lon", type=float, required=True)
    add.add_argument("--warn", type=float, required=True, help="warn level (recovery below it)")
    add.add_argument("--danger", type=float, required=True,
                     help="danger level: reaching it opens a report")
    add.add_argument("--unit", default=None,
                     help="cm (default), m or mm for water_level; mm/h or mm for rain; "
                          "ug/m3, aqi or ppm for air_quality")
    add.add_argument("--interval-s", type=int, default=60, metavar="N",
                     help="seconds between readings; silent twice as long = offline (default 60)")
    add.add_argument("--region", default=None, metavar="CODE",
                     help="the kelurahan it stands in (region codes carry no coordinates, so "
                          "say it); default: the whole city, seen by city-wide consoles only")
    db_option(add)
    lst = sub.add_parser("list-sensors", help="list the registered sensors and their state")
    db_option(lst)
    for name, what in (("disable-sensor", "ignore a sensor's readings from now on"),
                       ("enable-sensor", "take a disabled sensor's readings again")):
        p = sub.add_parser(name, help=what)
        p.add_argument("sensor_id", metavar="ID")
        db_option(p)


def add_run_options(run_p: argparse.ArgumentParser) -> None:
    g = run_p.add_argument_group("city sensors (MQTT)")
    g.add_argument("--mqtt", default=None, metavar="URL",
                   help="ingest sensor readings from this broker: mqtt://host:port, or "
                        "mqtts://host:port for TLS")
    g.add_argument("--mqtt-username", default=None)
    g.add_argument("--mqtt-password-file", type=Path, default=None, metavar="FILE",
                   help=f"file holding the broker password (or set {PASSWORD_ENV}); never "
                        "on the command line, where every local user can read it")
    g.add_argument("--mqtt-ca", type=Path, default=None, metavar="PEM",
                   help="CA certificate(s) to verify the broker with (implies TLS)")
    g.add_argument("--mqtt-cert", type=Path, default=None, metavar="PEM",
                   help="client certificate, for brokers that want one")
    g.add_argument("--mqtt-key", type=Path, default=None, metavar="PEM")
    g.add_argument("--mqtt-shared", action="store_true",
                   help="use the shared subscription $share/posko/… (several server "
                        "processes split the readings instead of each taking all)")
    g.add_argument("--mqtt-clean-session", action="store_true",
                   help="no persistent session: readings published while the server is "
                        "down are not kept for it by the broker (default: kept, MQTT 5 "
                        "session expiry 24 h, under a client id stored in the data "
                        "directory)")
    g.add_argument("--mqtt-v311", action="store_true",
                   help="speak MQTT 3.1.1 to a broker without MQTT 5 (the broker then "
                        "decides how many readings are in flight - Mosquitto: 20 - and a "
                        "persistent session never expires)")
    g.add_argument("--mqtt-client-id", default=None, metavar="BASE",
                   help="base of the MQTT client ids (BASE-0, BASE-1, … one per process "
                        "on this data directory), e.g. for broker ACLs by client id; "
                        "default: posko-<host>-<random>, kept in <data dir>/mqtt-client-id")


def mqtt_settings(args: argparse.Namespace):  # noqa: ANN201
    """MqttSettings from ``run``'s options, or None without --mqtt (ValueError if bad)."""
    if not getattr(args, "mqtt", None):
        return None
    from server.sensors.mqtt import MqttSettings

    password = os.environ.get(PASSWORD_ENV)
    if args.mqtt_password_file is not None:
        password = args.mqtt_password_file.read_text(encoding="utf-8").strip()
    for f in (args.mqtt_ca, args.mqtt_cert, args.mqtt_key):
        if f is not None and not f.is_file():
            raise ValueError(f"no such file: {f}")
    s = MqttSettings(args.mqtt, username=args.mqtt_username, password=password,
                     ca_file=args.mqtt_ca, cert_file=args.mqtt_cert, key_file=args.mqtt_key,
                     shared=args.mqtt_shared, persistent=not args.mqtt_clean_session,
                     client_id_base=args.mqtt_client_id, mqtt5=not args.mqtt_v311)
    s.endpoint()  # refuse a bad URL now, not on the network thread
    return s


def run(db, args: argparse.Namespace, city_code: str) -> int:  # noqa: ANN001
    from server.sensors import registry

    cmd = args.server_command
    if cmd == "add-sensor":
        row = registry.add_sensor(db, args.sensor_id, kind=args.kind, lat=args.lat, lon=args.lon,
                                  warn=args.warn, danger=args.danger, unit=args.unit,
                                  interval_s=args.interval_s, region=args.region,
                                  city_code=city_code)
        verb = "registered" if row["created"] else "updated"
        print(f"sensor {row['id']} {verb}: {row['kind']} warn {row['warn']:g} danger "
              f"{row['danger']:g} {row['unit']}, every {row['interval_s']} s, region "
              f"{row['region_code']}; topic posko/sensors/{row['id']}/reading")
        return 0
    if cmd == "list-sensors":
        for r in registry.list_sensors(db):
            last = "never" if r["last_value"] is None else f"{r['last_value']:g} {r['unit']}"
            print(f"{r['id']}\t{r['kind']}\t{r['lat']:.5f},{r['lon']:.5f}\t{r['region_code']}\t"
                  f"warn {r['warn']:g}\tdanger {r['danger']:g}\t{r['unit']}\t"
                  f"{r['interval_s']}s\t{r['state'] if r['active'] else 'DISABLED'}\tlast {last}")
        return 0
    registry.set_active(db, args.sensor_id, cmd == "enable-sensor")
    print(f"sensor {args.sensor_id} {'enabled' if cmd == 'enable-sensor' else 'disabled'}")
    return 0
