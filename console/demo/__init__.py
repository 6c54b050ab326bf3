"""Demo data for Posko: realistic Indonesian reports for Kota Bandung and Kota Semarang.

``console.demo.bulk.seed_demo(path, reports=N)`` fills a database; ``generate`` makes the
rows; ``templates`` holds the texts. ``python -m console.demo --db PATH --reports N``.
"""
