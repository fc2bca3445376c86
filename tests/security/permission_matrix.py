"""The permission matrix: every URL the project resolves, as every role, by GET and by POST.

Each row gives the expected status for the nine roles, in this order:

    anonymous, signed up (no registration), submitted delegate, approved delegate (owner of the
    registration, presentation and file in the URL), another approved delegate, rapporteur (of the
    session in the URL, no registration), secretariat, organiser, superuser

Reading a row: 200 shown, 302 redirected (to the login page for anonymous users, or back after a
POST), 400 refused input, 403 role missing, 404 not found or not theirs (deny by default: no
delegate learns that another's registration, presentation or file exists), 405 method not allowed.
POSTs carry no data and run in a transaction rolled back afterwards. A new URL fails
tests/security/test_permission_matrix.py until it has a row here, reviewed by a person.
"""

# fmt: off
MATRIX = {
    'home':                                                ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'healthz':                                             ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'account_login':                                       ('200 302 302 302 302 302 302 302 302', '200 302 302 302 302 302 302 302 302'),
    'account_logout':                                      ('302 200 200 200 200 200 200 200 200', '302 302 302 302 302 302 302 302 302'),
    'account_inactive':                                    ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'account_signup':                                      ('200 302 302 302 302 302 302 302 302', '200 302 302 302 302 302 302 302 302'),
    'account_reauthenticate':                              ('302 200 200 200 200 200 200 200 200', '302 200 200 200 200 200 200 200 200'),
    'account_request_reauthentication_code':               ('302 200 200 200 200 200 200 200 302', '302 200 200 200 200 200 200 200 302'),
    'account_confirm_reauthentication_code':               ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'account_email':                                       ('302 200 200 200 200 200 200 200 200', '302 302 302 302 302 302 302 302 302'),
    'account_email_verification_sent':                     ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'account_change_password':                             ('302 200 200 200 200 200 200 200 200', '302 200 200 200 200 200 200 200 200'),
    'account_set_password':                                ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'account_reset_password':                              ('200 200 200 200 200 200 200 200 200', '200 200 200 200 200 200 200 200 200'),
    'account_confirm_login_code':                          ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'account_confirm_email':                               ('200 200 200 200 200 200 200 200 200', '404 404 404 404 404 404 404 404 404'),
    'account_reset_password_from_key_done':                ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'account_reset_password_from_key':                     ('200 200 200 200 200 200 200 200 200', '200 200 200 200 200 200 200 200 200'),
    'account_reset_password_done':                         ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'worksessions:programme':                              ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'worksessions:programme_ics':                          ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'registrations:dashboard':                             ('302 200 200 200 200 200 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'registrations:register':                              ('302 200 302 302 302 200 200 200 200', '302 200 302 302 302 200 200 200 200'),
    'registrations:participants':                          ('302 403 403 200 200 403 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'registrations:participants_pdf':                      ('302 403 403 403 403 403 200 200 200', '302 403 403 403 403 403 405 405 405'),
    'registrations:badges':                                ('302 403 403 403 403 403 403 200 200', '302 403 403 403 403 403 403 302 302'),
    'registrations:detail':                                ('302 404 404 200 404 404 404 404 404', '302 405 405 405 405 405 405 405 405'),
    'registrations:edit':                                  ('302 404 404 302 404 404 404 404 404', '302 404 404 302 404 404 404 404 404'),
    'registrations:cancel':                                ('302 404 404 200 404 404 404 404 404', '302 404 404 302 404 404 404 404 404'),
    'registrations:badge_download':                        ('302 403 403 403 403 403 403 404 404', '302 403 403 403 403 403 403 405 405'),
    'registrations:check_in':                              ('302 403 403 403 403 403 403 200 200', '302 403 403 403 403 403 403 302 302'),
    'presentations:create':                                ('302 404 404 200 404 404 404 404 404', '302 404 404 200 404 404 404 404 404'),
    'presentations:detail':                                ('302 404 404 200 404 404 404 404 404', '302 405 405 405 405 405 405 405 405'),
    'presentations:edit':                                  ('302 404 404 200 404 404 404 404 404', '302 404 404 200 404 404 404 404 404'),
    'presentations:upload':                                ('302 405 405 405 405 405 405 405 405', '302 404 404 400 404 404 404 404 404'),
    'presentations:withdraw':                              ('302 404 404 200 404 404 404 404 404', '302 404 404 302 404 404 404 404 404'),
    'presentations:download':                              ('302 404 404 200 200 404 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'presentations:download_pdf':                          ('302 404 404 200 200 404 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'reports:my_sessions':                                 ('302 200 200 200 200 200 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'reports:report_edit':                                 ('302 403 403 403 403 200 200 200 200', '302 403 403 403 403 200 200 200 200'),
    'reports:builds':                                      ('302 403 403 403 403 403 200 200 200', '302 403 403 403 403 403 405 405 405'),
    'reports:build_start':                                 ('302 403 403 403 403 403 405 405 405', '302 403 403 403 403 403 302 302 302'),
    'reports:published':                                   ('302 404 404 404 404 404 404 404 404', '302 405 405 405 405 405 405 405 405'),
    'reports:published_page':                              ('302 404 404 404 404 404 404 404 404', '302 405 405 405 405 405 405 405 405'),
    'reports:published_print':                             ('302 404 404 404 404 404 404 404 404', '302 405 405 405 405 405 405 405 405'),
    'reports:build_status':                                ('302 403 403 403 403 403 200 200 200', '302 403 403 403 403 403 405 405 405'),
    'reports:build_download':                              ('302 404 404 404 404 404 404 404 404', '302 405 405 405 405 405 405 405 405'),
    'reports:build_download_web':                          ('302 404 404 404 404 404 404 404 404', '302 405 405 405 405 405 405 405 405'),
    'reports:build_publish':                               ('302 403 403 403 403 403 405 405 405', '302 403 403 403 403 403 302 302 302'),
    'delegations:index':                                   ('302 200 200 200 200 200 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'delegations:detail':                                  ('302 404 404 404 404 404 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'delegations:invitation':                              ('404 404 404 404 404 404 404 404 404', '404 404 404 404 404 404 404 404 404'),
    'delegations:nominate':                                ('302 404 404 404 404 404 404 404 404', '302 404 404 404 404 404 404 404 404'),
    'delegations:replace':                                 ('302 404 404 404 404 404 404 404 404', '302 404 404 404 404 404 404 404 404'),
    'delegations:nomination':                              ('404 404 404 404 404 404 404 404 404', '404 404 404 404 404 404 404 404 404'),
    'delegations:endorse':                                 ('302 405 405 405 405 405 405 405 405', '302 404 404 404 404 404 404 404 404'),
    'delegations:visa_request':                            ('302 404 404 200 404 404 404 404 404', '302 404 404 200 404 404 404 404 404'),
    'delegations:visa_withdraw':                           ('302 405 405 405 405 405 405 405 405', '302 404 404 302 404 404 404 404 404'),
    'documents:verify':                                    ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'documents:download':                                  ('302 404 404 200 404 404 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'documents:workshop':                                  ('302 403 403 403 403 403 200 200 200', '302 403 403 403 403 403 405 405 405'),
    'documents:batch_start':                               ('302 403 403 403 403 403 405 405 405', '302 403 403 403 403 403 302 302 302'),
    'documents:batch_status':                              ('302 403 403 403 403 403 200 200 200', '302 403 403 403 403 403 405 405 405'),
    'documents:batch_download':                            ('302 403 403 403 403 403 404 404 404', '302 403 403 403 403 403 405 405 405'),
    'privacy:overview':                                    ('302 200 200 200 200 200 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'privacy:export':                                      ('302 405 405 405 405 405 405 405 405', '302 200 200 200 200 200 200 200 200'),
    'privacy:erasure':                                     ('302 200 200 200 200 200 200 200 200', '302 200 200 200 200 200 200 200 200'),
    'set_language':                                        ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:index':                                         ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:login':                                         ('302 403 403 403 403 403 302 302 302', '302 403 403 403 403 403 200 200 200'),
    'admin:logout':                                        ('302 302 302 302 302 302 405 405 405', '302 302 302 302 302 302 302 302 302'),
    'admin:password_change':                               ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:password_change_done':                          ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 405 405 405'),
    'admin:autocomplete':                                  ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 405 405 405'),
    'admin:jsi18n':                                        ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 405 405 405'),
    'admin:view_on_site':                                  ('302 302 302 302 302 302 404 404 404', '302 302 302 302 302 302 404 404 404'),
    'admin:auth_group_changelist':                         ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:auth_group_add':                                ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:auth_group_history':                            ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:auth_group_delete':                             ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:auth_group_change':                             ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 403 200'),
    'admin:documents_issueddocument_changelist':           ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:documents_issueddocument_add':                  ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:documents_issueddocument_history':              ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:documents_issueddocument_delete':               ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:documents_issueddocument_change':               ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 403 403'),
    'admin:documents_documentbatch_changelist':            ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:documents_documentbatch_add':                   ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:documents_documentbatch_history':               ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:documents_documentbatch_delete':                ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:documents_documentbatch_change':                ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 403 403'),
    'admin/auth/group/<path:object_id>/':                  ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:account_emailaddress_changelist':               ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:account_emailaddress_add':                      ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:account_emailaddress_history':                  ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:account_emailaddress_delete':                   ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:account_emailaddress_change':                   ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin/account/emailaddress/<path:object_id>/':        ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:auth_user_password_change':                     ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:workshop_portal_user_changelist':               ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:workshop_portal_user_add':                      ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:workshop_portal_user_history':                  ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:workshop_portal_user_delete':                   ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:workshop_portal_user_change':                   ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 302 200'),
    'admin/workshop_portal/user/<path:object_id>/':        ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:workshop_portal_memberstate_changelist':        ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:workshop_portal_memberstate_add':               ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:workshop_portal_memberstate_history':           ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:workshop_portal_memberstate_delete':            ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:workshop_portal_memberstate_change':            ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 302 302'),
    'admin/workshop_portal/memberstate/<path:object_id>/': ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:workshop_portal_institution_changelist':        ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:workshop_portal_institution_add':               ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:workshop_portal_institution_history':           ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:workshop_portal_institution_delete':            ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:workshop_portal_institution_change':            ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin/workshop_portal/institution/<path:object_id>/': ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:workshop_portal_workshop_changelist':           ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:workshop_portal_workshop_add':                  ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:workshop_portal_workshop_history':              ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:workshop_portal_workshop_delete':               ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:workshop_portal_workshop_change':               ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin/workshop_portal/workshop/<path:object_id>/':    ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:workshop_portal_erasurerequest_changelist':     ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:workshop_portal_erasurerequest_add':            ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:workshop_portal_erasurerequest_history':        ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:workshop_portal_erasurerequest_delete':         ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:workshop_portal_erasurerequest_change':         ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 302 302'),
    'admin/workshop_portal/erasurerequest/<path:object_id>/': ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:registrations_registration_changelist':         ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:registrations_registration_add':                ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:registrations_registration_history':            ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:registrations_registration_delete':             ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:registrations_registration_change':             ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin/registrations/registration/<path:object_id>/':  ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:registrations_badgebatch_changelist':           ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:registrations_badgebatch_add':                  ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:registrations_badgebatch_history':              ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:registrations_badgebatch_delete':               ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:registrations_badgebatch_change':               ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 403 302'),
    'admin/registrations/badgebatch/<path:object_id>/':    ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:worksessions_workingsession_changelist':        ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:worksessions_workingsession_add':               ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:worksessions_workingsession_history':           ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:worksessions_workingsession_delete':            ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:worksessions_workingsession_change':            ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_delegation_changelist':             ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:delegations_delegation_add':                    ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_delegation_history':                ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:delegations_delegation_delete':                 ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:delegations_delegation_change':                 ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin/delegations/delegation/<path:object_id>/':      ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:communications_outboundemail_html':             ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 405 405'),
    'admin:communications_outboundemail_changelist':       ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:communications_outboundemail_add':              ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:communications_outboundemail_history':          ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:communications_outboundemail_delete':           ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:communications_outboundemail_change':           ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 403 403'),
    'admin/communications/outboundemail/<path:object_id>/': ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:audit_auditevent_changelist':                   ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:audit_auditevent_add':                          ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:audit_auditevent_history':                      ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:audit_auditevent_delete':                       ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:audit_auditevent_change':                       ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 403 403'),
    'admin/audit/auditevent/<path:object_id>/':            ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:communications_message_changelist':            ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:communications_message_add':                   ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:communications_message_history':               ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:communications_message_delete':                ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:communications_message_change':                ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin/communications/message/<path:object_id>/':     ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:communications_message_preview':               ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 405 405 405'),
    'admin:communications_message_send_test':             ('302 302 302 302 302 302 405 405 405', '302 302 302 302 302 302 403 302 302'),
    'admin:communications_message_send':                  ('302 302 302 302 302 302 405 405 405', '302 302 302 302 302 302 403 302 302'),
    # Unsubscribing needs no sign-in: the signed link is the authority (a GET asks, a POST acts).
    'communications:unsubscribe':                         ('200 200 200 200 200 200 200 200 200', '200 200 200 200 200 200 200 200 200'),
    'communications:preferences':                         ('302 200 200 200 200 200 200 200 200', '302 302 302 302 302 302 302 302 302'),
    'admin:delegations_focalpoint_changelist':             ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:delegations_focalpoint_add':                    ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_focalpoint_history':                ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:delegations_focalpoint_delete':                 ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_focalpoint_change':                 ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin/delegations/focalpoint/<path:object_id>/':      ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:delegations_nomination_changelist':             ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:delegations_nomination_add':                    ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:delegations_nomination_history':                ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:delegations_nomination_delete':                 ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:delegations_nomination_change':                 ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 403 403'),
    'admin/delegations/nomination/<path:object_id>/':      ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:delegations_lettersettings_changelist':         ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_lettersettings_add':                ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_lettersettings_history':            ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_lettersettings_delete':             ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:delegations_lettersettings_change':             ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin/delegations/lettersettings/<path:object_id>/':  ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    # Passport details: the organisers read them (detail page, read-only); the secretariat does not.
    'admin:delegations_visaletterrequest_changelist':      ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_visaletterrequest_add':             ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:delegations_visaletterrequest_history':         ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:delegations_visaletterrequest_delete':          ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:delegations_visaletterrequest_change':          ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 403 403'),
    'admin/delegations/visaletterrequest/<path:object_id>/': ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin/worksessions/workingsession/<path:object_id>/': ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:presentations_presentation_changelist':         ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:presentations_presentation_add':                ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin:presentations_presentation_history':            ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:presentations_presentation_delete':             ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:presentations_presentation_change':             ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 200 200'),
    'admin/presentations/presentation/<path:object_id>/':  ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:reports_sessionreport_changelist':              ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:reports_sessionreport_add':                     ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:reports_sessionreport_history':                 ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:reports_sessionreport_delete':                  ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:reports_sessionreport_change':                  ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin/reports/sessionreport/<path:object_id>/':       ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:reports_proceedingsbuild_changelist':           ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:reports_proceedingsbuild_add':                  ('302 302 302 302 302 302 403 403 403', '302 302 302 302 302 302 403 403 403'),
    'admin:reports_proceedingsbuild_history':              ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin:reports_proceedingsbuild_delete':               ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    'admin:reports_proceedingsbuild_change':               ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 403 403 403'),
    'admin/reports/proceedingsbuild/<path:object_id>/':    ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin:app_list':                                      ('302 302 302 302 302 302 200 200 200', '302 302 302 302 302 302 200 200 200'),
    'admin/documents/issueddocument/<path:object_id>/':    ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin/documents/documentbatch/<path:object_id>/':     ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    'admin catch-all':                                     ('302 302 302 302 302 302 404 404 404', '302 302 302 302 302 302 404 404 404'),
    # Public: one session's calendar, the schedule feeds (api/), the read API's public lists and its documents.
    'worksessions:session_ics':                            ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api:schedule_xml':                                    ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api:schedule_json':                                   ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    # The owner's calendar feed: its secret address is the authority (a calendar app cannot sign in); a reset ends it.
    'api:personal_feed':                                   ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api:account':                                         ('302 200 200 200 200 200 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'api:feed_reset':                                      ('302 405 405 405 405 405 405 405 405', '302 302 302 302 302 302 302 302 302'),
    'api:token_create':                                    ('302 405 405 405 405 405 405 405 405', '302 400 400 400 400 400 400 400 400'),
    # The owner's token: only they revoke it; anyone else gets the 404 of a token that does not exist.
    'api:token_revoke':                                    ('302 405 405 405 405 405 405 405 405', '302 404 404 302 404 404 404 404 404'),
    'api-workshops':                                       ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api-workshop':                                        ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api-sessions':                                        ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api-segments':                                        ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api-presentations':                                   ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api-member-states':                                   ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api-institutions':                                    ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    # Staff lists of the API by session: 401 (the API's answer to no credentials), 403 without the permission.
    'api-registrations':                                   ('401 403 403 403 403 403 200 200 200', '401 403 403 403 403 403 405 405 405'),
    'api-proceedings-builds':                              ('401 403 403 403 403 403 200 200 200', '401 403 403 403 403 403 405 405 405'),
    'api-schema':                                          ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
    'api-docs':                                            ('200 200 200 200 200 200 200 200 200', '405 405 405 405 405 405 405 405 405'),
}
# fmt: on


# The admin pages of the user model that name one account, asked about each kind of account:
# a delegate ('approved'), the organiser's, the secretariat member's and the superuser's own
# accounts, and another organiser ('second_organiser'); same nine roles, same reading as above.
# Only a superuser sets a password, deletes an account or changes a staff or superuser account;
# an organiser changes a delegate's account and their own (an empty POST is a valid form there:
# 302), and sees the others read-only (GET 200, POST 403). USER_TARGET_MATRIX must cover every
# such page (tests/security/test_permission_matrix.py). Rows first walked, then reviewed one by one.
# fmt: off
USER_TARGET_MATRIX = {
    ('admin:auth_user_password_change', 'approved'):                            ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:auth_user_password_change', 'organiser'):                           ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:auth_user_password_change', 'second_organiser'):                    ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:auth_user_password_change', 'secretariat'):                         ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:auth_user_password_change', 'superuser'):                           ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:workshop_portal_user_history', 'approved'):                         ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    ('admin:workshop_portal_user_history', 'organiser'):                        ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    ('admin:workshop_portal_user_history', 'second_organiser'):                 ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    ('admin:workshop_portal_user_history', 'secretariat'):                      ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    ('admin:workshop_portal_user_history', 'superuser'):                        ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 200 200'),
    ('admin:workshop_portal_user_delete', 'approved'):                          ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:workshop_portal_user_delete', 'organiser'):                         ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:workshop_portal_user_delete', 'second_organiser'):                  ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:workshop_portal_user_delete', 'secretariat'):                       ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:workshop_portal_user_delete', 'superuser'):                         ('302 302 302 302 302 302 403 403 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:workshop_portal_user_change', 'approved'):                          ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 302 200'),
    ('admin:workshop_portal_user_change', 'organiser'):                         ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 302 200'),
    ('admin:workshop_portal_user_change', 'second_organiser'):                  ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:workshop_portal_user_change', 'secretariat'):                       ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 403 200'),
    ('admin:workshop_portal_user_change', 'superuser'):                         ('302 302 302 302 302 302 403 200 200', '302 302 302 302 302 302 403 403 200'),
    ('admin/workshop_portal/user/<path:object_id>/', 'approved'):               ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    ('admin/workshop_portal/user/<path:object_id>/', 'organiser'):              ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    ('admin/workshop_portal/user/<path:object_id>/', 'second_organiser'):       ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    ('admin/workshop_portal/user/<path:object_id>/', 'secretariat'):            ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
    ('admin/workshop_portal/user/<path:object_id>/', 'superuser'):              ('302 302 302 302 302 302 302 302 302', '302 302 302 302 302 302 302 302 302'),
}
# fmt: on


# The delegations pages asked by two focal points: the one of the delegation in the URL (the
# world's Kazakh delegation, 'focal_point') and one of another state's ('other_focal_point'). A
# focal point sees only their own delegation; another state's gets the 404 anyone else gets.
# The invitation is asked with the first one's token (the second is refused: it is taken), a
# nominee's link with the world's nomination's token (a secret: whoever holds it sees the form),
# the replacement of that nomination, and the endorsement of the world's approved registration
# (of the Kazakh delegation: its focal point is told it is not awaiting endorsement). The visa letter
# request of that delegate: no focal point, of their state or another, sees or touches it (404).
# Neither downloads the certificate of a delegate of the Kazakh delegation: it is the holder's alone;
# nor that delegate's visa letter. The Kazakh delegation's invitation letter: its focal point
# downloads it, another state's gets a 404 (documents.selectors.document_may_download).
# fmt: off
FOCAL_POINT_MATRIX = {
    'delegations:index':                  ('200 200', '405 405'),
    'delegations:detail':                 ('200 404', '405 405'),
    'delegations:invitation':             ('200 200', '302 302'),
    'delegations:nominate':               ('200 404', '200 404'),
    'delegations:replace':                ('200 404', '200 404'),
    'delegations:nomination':             ('200 200', '200 200'),
    'delegations:endorse':                ('405 405', '302 404'),
    'delegations:visa_request':           ('404 404', '404 404'),
    'delegations:visa_withdraw':          ('405 405', '404 404'),
    'admin:delegations_delegation_changelist': ('302 302', '302 302'),
    'admin:delegations_focalpoint_changelist': ('302 302', '302 302'),
    'documents:download':                 ('404 404', '405 405'),
    'documents:download invitation_letter': ('200 404', '405 405'),
    'documents:download visa_letter':     ('404 404', '405 405'),
}
# fmt: on


# documents:download of each kind of document the world holds besides the certificate (MATRIX's
# row): the Kazakh delegation's invitation letter, addressed to its state (no delegate's: the staff
# and that delegation's focal points download it, FOCAL_POINT_MATRIX), and the approved delegate's
# visa letter (theirs alone, with the organisers: it prints passport details, which the secretariat
# may not read). Same nine roles, same reading as MATRIX.
# fmt: off
DOCUMENT_MATRIX = {
    'invitation_letter':                                   ('302 404 404 404 404 404 200 200 200', '302 405 405 405 405 405 405 405 405'),
    'visa_letter':                                         ('302 404 404 200 404 404 404 200 200', '302 405 405 405 405 405 405 405 405'),
}
# fmt: on


# The read API with an API token instead of a session (Authorization: Bearer). Columns: no token,
# then a token of each of these accounts: signed up, submitted delegate, approved delegate, another
# approved delegate, rapporteur, secretariat, organiser, superuser, the Kazakh delegation's focal
# point; last, a revoked token of the organiser. Tokens are read only: a POST with one is refused
# with 403 (token_scope) before the method is even looked at; a revoked token gets 401, as an
# expired or unknown one does, and no data.
# fmt: off
API_TOKEN_MATRIX = {
    'api-workshops':                ('200 200 200 200 200 200 200 200 200 200 401', '405 403 403 403 403 403 403 403 403 403 401'),
    'api-workshop':                 ('200 200 200 200 200 200 200 200 200 200 401', '405 403 403 403 403 403 403 403 403 403 401'),
    'api-sessions':                 ('200 200 200 200 200 200 200 200 200 200 401', '405 403 403 403 403 403 403 403 403 403 401'),
    'api-segments':                 ('200 200 200 200 200 200 200 200 200 200 401', '405 403 403 403 403 403 403 403 403 403 401'),
    'api-presentations':            ('200 200 200 200 200 200 200 200 200 200 401', '405 403 403 403 403 403 403 403 403 403 401'),
    'api-member-states':            ('200 200 200 200 200 200 200 200 200 200 401', '405 403 403 403 403 403 403 403 403 403 401'),
    'api-institutions':             ('200 200 200 200 200 200 200 200 200 200 401', '405 403 403 403 403 403 403 403 403 403 401'),
    'api-registrations':            ('401 403 403 403 403 403 200 200 200 403 401', '401 403 403 403 403 403 403 403 403 403 401'),
    'api-proceedings-builds':       ('401 403 403 403 403 403 200 200 200 403 401', '401 403 403 403 403 403 403 403 403 403 401'),
}
# fmt: on
