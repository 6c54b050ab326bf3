"""Demo data for Posko: realistic Indonesian reports for Kota Bandung and Kota Semarang.

``posko demo`` (``run``) starts the demo's central server on 127.0.0.1 (``server``: the
real server in-process, seeded from ``generate``, with three demo accounts) and desks logged
in to it; ``folder`` says which folders demo may use. ``console.demo.bulk.seed_demo(path,
reports=N)`` fills a console database directly (the bench, ``python -m console.demo --db
PATH --reports N``); ``generate`` makes the rows; ``templates`` holds the texts.
"""
