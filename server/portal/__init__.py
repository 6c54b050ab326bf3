"""The public transparency page (issue 15 part 2): ``routes.router`` serves ``/public/``
and ``/public/lapor/<ticket>``; ``data`` holds the public rule and the aggregates."""
