"""Alembic environment of the server database.

Migrations run programmatically (server/db.py ``upgrade``) with an open connection in
``config.attributes["connection"]``; there is no alembic.ini to ship.
"""

from alembic import context

from server.models import ServerModel

config = context.config
target_metadata = ServerModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # developers' `alembic` CLI: build an engine from the URL
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:  # noqa: ANN001
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
