"""What each role can do, shown on their dashboard. A task with no endpoint is not built yet."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from engage.accounts.roles import Role


@dataclass(frozen=True)
class Task:
    title: str
    description: str
    endpoint: str | None = None


FIND_SUPPORT = Task(
    _l("Find support near you"),
    _l("Search the local asset map by place and need"),
    "asset_map.find_support",
)
HAVE_YOUR_SAY = Task(
    _l("Have your say"), _l("Tell the partnership what you think"), "have_your_say.index"
)
FEEDBACK = Task(
    _l("Run forums and capture feedback"),
    _l("Sessions, bulk entry, moderation, analysis and reach"),
    "feedback.index",
)
MODERATION = Task(
    _l("Moderation queue"),
    _l("What the public and ambassadors sent, waiting for approval"),
    "feedback.moderation_queue",
)
YOU_SAID = Task(
    _l("You said, we did"), _l("See what was done with what people said"), "you_said_we_did.board"
)
CHANGE_PASSWORD = Task(
    _l("Change your password"), _l("Signs you out everywhere else"), "accounts.change_password"
)
INVITE = Task(
    _l("Invite someone"),
    _l("Send a signed link that works once, for 7 days"),
    "accounts.new_invitation",
)
INVITATIONS = Task(
    _l("Invitations waiting"),
    _l("People invited who have not joined yet"),
    "accounts.list_invitations",
)

REPORT = Task(
    _l("Community-voice report"),
    _l("What we heard, who, what we did, what we funded, and the gaps"),
    "reports.show_report",
)
LISTENING = Task(
    _l("Where we have not yet listened"),
    _l("Voices heard against need, area by area"),
    "reports.show_listening",
)
MONITORING = Task(
    _l("Monitoring returns"),
    _l("Funded projects' quarterly returns and whom they reached"),
    "monitoring.overview",
)

TASKS: dict[Role, list[Task]] = {
    Role.RESIDENT: [FIND_SUPPORT, HAVE_YOUR_SAY, YOU_SAID, CHANGE_PASSWORD],
    Role.YOUTH_AMBASSADOR: [
        Task(
            _l("Vote on project bids"),
            _l("Decide how the youth fund is shared"),
            "budgeting.list_rounds",
        ),
        Task(
            _l("Give your views"),
            _l("The ambassadors' own feedback form"),
            "have_your_say.ambassadors",
        ),
        Task(
            _l("Before it goes out"),
            _l("Choose between drafts of messages and campaigns"),
            "you_said_we_did.ambassador_drafts",
        ),
        YOU_SAID,
        CHANGE_PASSWORD,
    ],
    Role.VCSE_PROVIDER: [
        Task(
            _l("Keep your listing right"),
            _l("Update your organisation's services on the map"),
            "manage_assets.my_organisations",
        ),
        Task(
            _l("Bid for funding"),
            _l("Apply to an open participatory budgeting round"),
            "budgeting.list_rounds",
        ),
        Task(
            _l("Report what your project delivered"),
            _l("Quarterly returns for your funded projects"),
            "monitoring.my_projects",
        ),
        CHANGE_PASSWORD,
    ],
    Role.ENGAGEMENT_OFFICER: [
        INVITE,
        INVITATIONS,
        FEEDBACK,
        MODERATION,
        Task(
            _l('Publish "you said, we did"'),
            _l("Respond to what people said"),
            "you_said_we_did.list_responses",
        ),
        Task(
            _l("Run funding rounds"),
            _l("Bids, shortlist, voting and results"),
            "budgeting.list_rounds",
        ),
        Task(
            _l("Keep the map fresh"),
            _l("Listings due for a check, reported problems"),
            "manage_assets.overview",
        ),
        MONITORING,
        REPORT,
        LISTENING,
        CHANGE_PASSWORD,
    ],
    Role.SAFEGUARDING_LEAD: [
        Task(
            _l("Safeguarding cases"),
            _l("Possible disclosures of harm, never published"),
            "safeguarding.index",
        ),
        Task(
            _l("Privacy requests"),
            _l("Requests to see or erase feedback that you hold"),
            "safeguarding.list_requests",
        ),
        Task(
            _l("Indicator phrases"),
            _l("The words that flag feedback for your attention"),
            "safeguarding.indicators",
        ),
        Task(
            _l("Who read which case"),
            _l("Every reading of a case, from the audit log"),
            "audit.case_log",
        ),
        CHANGE_PASSWORD,
    ],
    Role.ADMIN: [
        FEEDBACK,
        Task(
            _l("Keep the map fresh"),
            _l("Listings due for a check, reported problems"),
            "manage_assets.overview",
        ),
        Task(
            _l("People"),
            _l("Everyone with an account; suspend, restore or change a role"),
            "accounts.list_people",
        ),
        Task(
            _l("Audit log"),
            _l("Who did what, and when; safeguarding cases are the lead's alone"),
            "audit.admin_log",
        ),
        REPORT,
        INVITE,
        INVITATIONS,
        CHANGE_PASSWORD,
    ],
    Role.BOARD_MEMBER: [
        REPORT,
        LISTENING,
        Task(
            _l("How well we answer"),
            _l("The partnership's accountability figures"),
            "you_said_we_did.public_accountability",
        ),
        YOU_SAID,
        Task(
            _l("Funding rounds"),
            _l("Rounds, results and what the money did"),
            "budgeting.list_rounds",
        ),
        CHANGE_PASSWORD,
    ],
}
