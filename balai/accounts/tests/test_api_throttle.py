"""The API's throttles count through the one rate-limit mechanism."""

import pytest
from django.test import RequestFactory

from balai.accounts.api_auth import ApiThrottle


@pytest.mark.django_db
def test_anonymous_calls_are_limited_per_client_and_token_calls_per_token(cast):
    from balai.accounts.models import ApiToken

    anonymous = ApiThrottle("2/m")
    per_token = ApiThrottle("1/m", per_token=True)
    call = RequestFactory().get("/api/v1/", REMOTE_ADDR="2001:db8::1")
    call.auth = None
    assert [anonymous.allow_request(call) for _ in range(3)] == [True, True, False]
    same_64 = RequestFactory().get("/api/v1/", REMOTE_ADDR="2001:db8::2")
    same_64.auth = None
    assert not anonymous.allow_request(same_64)
    assert per_token.allow_request(call)  # not a token call

    token, _value = ApiToken.new(cast.operator_a, ["letters:read"], days=1)
    token.save()
    with_token = RequestFactory().get("/api/v1/", REMOTE_ADDR="2001:db8::1")
    with_token.auth = token
    assert anonymous.allow_request(with_token)  # not anonymous
    assert [per_token.allow_request(with_token) for _ in range(2)] == [True, False]
