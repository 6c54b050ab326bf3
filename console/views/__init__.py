"""Qt widgets and models of the console. Nothing here acts on import: what must happen
before the QApplication exists is :func:`console.views.bootstrap.bootstrap`."""
