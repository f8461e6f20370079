from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_POST

login_view = auth_views.LoginView.as_view(redirect_authenticated_user=True)
logout_view = require_POST(auth_views.LogoutView.as_view())


@login_required
def second_factor(request):
    return render(request, "accounts/second_factor.html")
