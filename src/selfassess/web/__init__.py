"""The web application: rounds, trusts, invitations, the questionnaire, dashboards and reports in the browser.

Views are thin: they check who is asking, call the plain functions in `services`, and render a template.
"""
