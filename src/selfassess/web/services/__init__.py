"""Plain functions behind the views: each does one job and can be tested without a browser."""
