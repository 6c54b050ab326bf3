"""Shift reports and exports (PDF, XLSX, CSV), Qt-free.

* ``service.export_shift_report(db_path, ExportRequest(...))`` — the one entry point, used
  by the console dialog (``console/views/export_dialog.py``) and ``posko export shift``
  (``cli.py``).
* ``data.collect`` reads a window and region into a format-neutral ``model.ShiftReport``;
  ``pdf_writer`` / ``xlsx_writer`` / ``csv_writer`` render it; ``output.atomic_output``
  makes the file appear complete or not at all.
* SLA outcomes and quantiles come from ``console.domain.sla_metrics`` and the shared reads
  (region filter, categories, sync bookkeeping) from ``console.store.report_queries``;
  ``safety``: masking and formula neutralising; ``i18n``: the documents' words (Bahasa
  Indonesia first, English).
"""
