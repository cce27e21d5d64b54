"""Every route, with who may use it. tests/web/test_access.py requests each one as every kind of visitor."""

from django.contrib.auth import views as auth
from django.urls import path

from selfassess.web.views import administer, coordinate, home, invitations, respond

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", home.SignIn.as_view(), name="login"),
    path("sign-out/", auth.LogoutView.as_view(), name="logout"),
    path("forgot-password/", home.ForgottenPassword.as_view(), name="password_reset"),
    path(
        "forgot-password/sent/",
        auth.PasswordResetDoneView.as_view(template_name="accounts/forgot_password_sent.html"),
        name="password_reset_done",
    ),
    path(
        "set-password/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(
            template_name="accounts/set_password.html", success_url="/sign-in/?password=set"
        ),
        name="password_reset_confirm",
    ),
    # Respondents: an unguessable link, no account.
    path("r/<str:token>/", respond.start, name="respond_start"),
    path("r/<str:token>/about-you/", respond.about_you, name="respond_about_you"),
    path("r/<str:token>/section/<int:number>/", respond.section, name="respond_section"),
    path("r/<str:token>/check/", respond.check, name="respond_check"),
    path("r/<str:token>/submitted/", respond.submitted, name="respond_submitted"),
    # Trust coordinators: their own trust only (no trust in the URL to tamper with).
    path("trust/", coordinate.dashboard, name="trust_dashboard"),
    path("trust/choose/", coordinate.choose, name="trust_choose"),
    path("trust/invitations/", invitations.invitations, name="trust_invitations"),
    path("trust/invitations/upload/", invitations.upload, name="trust_invitations_upload"),
    path("trust/invitations/email/", invitations.send_emails, name="trust_send_emails"),
    path("trust/invitations/mail-merge.csv", invitations.mail_merge, name="trust_mail_merge"),
    path("trust/invitations/invitations.csv", invitations.export, name="trust_invitations_export"),
    path("trust/invitations/<int:invitation>/", invitations.detail, name="trust_invitation"),
    path("trust/invitations/<int:invitation>/reissue/", invitations.reissue, name="trust_invitation_reissue"),
    path("trust/invitations/<int:invitation>/revoke/", invitations.revoke, name="trust_invitation_revoke"),
    path("trust/invitations/<int:invitation>/reinstate/", invitations.reinstate, name="trust_invitation_reinstate"),
    path("trust/paper-form.pdf", coordinate.paper_form, name="trust_paper_form"),
    path("trust/data-entry.xlsx", coordinate.data_entry, name="trust_data_entry"),
    path("trust/upload/", coordinate.upload, name="trust_upload"),
    path("trust/report/", coordinate.report, name="trust_report"),
    path("trust/report.pdf", coordinate.report_pdf, name="trust_report_pdf"),
    # National administrators.
    path("national/", administer.rounds, name="national_rounds"),
    path("national/audit/", administer.audit_trail, name="national_audit"),
    path("national/rounds/<int:round_id>/", administer.round_detail, name="national_round"),
    path("national/rounds/<int:round_id>/trusts/", administer.add_trusts, name="national_add_trusts"),
    path("national/rounds/<int:round_id>/coordinators/", administer.invite, name="national_invite"),
    path(
        "national/rounds/<int:round_id>/coordinators/upload/",
        administer.invite_from_file,
        name="national_invite_from_file",
    ),
    path("national/rounds/<int:round_id>/trusts/<int:trust_id>/", administer.trust_detail, name="national_trust"),
    path(
        "national/rounds/<int:round_id>/trusts/<int:trust_id>/attribute/",
        administer.trust_attribute,
        name="national_trust_attribute",
    ),
    path(
        "national/rounds/<int:round_id>/trusts/<int:trust_id>/edit/", administer.trust_edit, name="national_trust_edit"
    ),
    path(
        "national/rounds/<int:round_id>/trusts/<int:trust_id>/report/",
        administer.trust_report,
        name="national_trust_report",
    ),
    path(
        "national/rounds/<int:round_id>/trusts/<int:trust_id>/report.pdf",
        administer.trust_report_pdf,
        name="national_trust_report_pdf",
    ),
    path(
        "national/rounds/<int:round_id>/trusts/<int:trust_id>/remove/",
        administer.trust_remove,
        name="national_trust_remove",
    ),
    path(
        "national/rounds/<int:round_id>/trusts/<int:trust_id>/coordinators/<int:coordinator>/remove/",
        administer.coordinator_remove,
        name="national_coordinator_remove",
    ),
    path(
        "national/rounds/<int:round_id>/trusts/<int:trust_id>/coordinators/<int:coordinator>/password/",
        administer.coordinator_password,
        name="national_coordinator_password",
    ),
    path("national/rounds/<int:round_id>/responses/", administer.responses, name="national_responses"),
    path("national/rounds/<int:round_id>/responses.csv", administer.responses_csv, name="national_responses_csv"),
    path("national/rounds/<int:round_id>/reports/", administer.reports, name="national_reports"),
    path("national/rounds/<int:round_id>/trust-reports.zip", administer.trust_pdfs, name="national_trust_pdfs"),
    path("national/rounds/<int:round_id>/close/", administer.close, name="national_close"),
    path("national/rounds/<int:round_id>/dates/", administer.dates, name="national_dates"),
    path("national/rounds/<int:round_id>/previous/", administer.previous, name="national_previous"),
    path("national/rounds/<int:round_id>/groups/", administer.groups, name="national_groups"),
    path("national/rounds/<int:round_id>/reminders/", administer.reminder_days, name="national_reminders"),
    path("national/rounds/<int:round_id>/report/", administer.report, name="national_report"),
    path("national/rounds/<int:round_id>/download/<str:kind>/", administer.download, name="national_download"),
]

handler400 = "selfassess.web.views.errors.bad_request"
handler403 = "selfassess.web.views.errors.forbidden"
handler404 = "selfassess.web.views.errors.not_found"
handler500 = "selfassess.web.views.errors.server_error"
