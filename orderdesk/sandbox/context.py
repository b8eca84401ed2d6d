"""The request context handed to every sandbox operation."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orderdesk.sandbox import seed
from orderdesk.sandbox.state import SandboxState
from orderdesk.sandbox.validation import invalid, read_string, read_strings


@dataclass
class Context:
    """One authenticated API request: its body, AccessToken scope, state and current time."""

    state: SandboxState
    body: dict[str, Any]
    access_token: str
    now: datetime

    @property
    def scope(self) -> tuple[str, ...]:
        """The enterprises the AccessToken reaches."""
        return seed.TOKEN_SCOPES[self.access_token]

    @property
    def is_portfolio(self) -> bool:
        return self.access_token in seed.PORTFOLIO_TOKENS

    def read_enterprise_ids(self) -> tuple[str, ...]:
        """Return the EnterpriseIds filter, checked against the scope, or the whole scope."""
        requested = read_strings(self.body, "EnterpriseIds")
        if not requested:
            return self.scope
        outside = [e for e in requested if e not in self.scope]
        if outside:
            raise invalid("EnterpriseIds", "An enterprise is outside the AccessToken's scope.")
        return tuple(requested)

    def write_enterprise_id(self) -> str:
        """Return the one enterprise a write acts on: EnterpriseId for portfolio tokens."""
        if not self.is_portfolio:
            return self.scope[0]
        enterprise_id = read_string(self.body, "EnterpriseId")
        if enterprise_id is None:
            raise invalid("EnterpriseId", "It is required with a portfolio AccessToken.")
        if enterprise_id not in self.scope:
            raise invalid("EnterpriseId", "The enterprise is outside the AccessToken's scope.")
        return enterprise_id
