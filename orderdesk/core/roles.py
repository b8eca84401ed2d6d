"""The three roles of orderdesk, as Django groups and the permissions each grants."""

FRONT_DESK = "Front desk"
MANAGER = "Manager"
ADMINISTRATOR = "Administrator"

# (app_label, codename) pairs per group.
ROLE_PERMISSIONS = {
    FRONT_DESK: [
        ("charges", "post_charge"),
    ],
    MANAGER: [
        ("charges", "post_charge"),
        ("charges", "view_submission"),
        ("charges", "view_all_submissions"),
        ("charges", "export_submissions"),
        ("charges", "settle_submission"),
        ("charges", "post_rebate"),
        ("charges", "override_price"),
    ],
    ADMINISTRATOR: [
        ("connections", "add_connection"),
        ("connections", "change_connection"),
        ("connections", "delete_connection"),
        ("connections", "view_connection"),
        ("connections", "add_property"),
        ("connections", "change_property"),
        ("connections", "delete_property"),
        ("connections", "view_property"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "view_user"),
        ("auth", "view_group"),
    ],
}
