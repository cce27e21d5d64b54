"""Views by area: respond (respondents), coordinate (trust coordinators), administer (national), home."""
