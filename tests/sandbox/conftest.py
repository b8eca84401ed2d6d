import pytest

from orderdesk.sandbox import create_app
from tests.sandbox.helpers import Api


@pytest.fixture
def api():
    return Api(create_app())
