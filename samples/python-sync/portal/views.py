"""Django views of the small staff portal that sits next to the sync.

These are the portal's own users (django.contrib.auth), not storage accounts: create_user,
get_user and authenticate are Django's or ours.
"""
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.decorators import login_required, user_passes_test
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import SyncRun

User = get_user_model()


def get_user(request, pk):
    """JSON detail of one staff member."""
    user = get_object_or_404(User, pk=pk)
    return JsonResponse({"success": True, "results": {"id": user.pk, "email": user.email}})


@user_passes_test(lambda u: u.is_superuser)
def create_user(request):
    if request.method != "POST":
        return render(request, "portal/create_user.html")
    user = User.objects.create_user(
        username=request.POST["username"],
        email=request.POST["email"],
        password=request.POST["password"],
    )
    messages.success(request, f"Created {user.username}")
    return redirect("portal:users")


def sign_in(request):
    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    if user is None:
        return JsonResponse({"success": False, "error": {"code": 401, "message": "wrong credentials"}}, status=401)
    login(request, user)
    return JsonResponse({"success": True})


def sign_out(request):
    logout(request)
    return redirect("portal:home")


@login_required
def dashboard(request):
    runs = SyncRun.objects.order_by("-started")[:20]
    return render(request, "portal/dashboard.html", {"runs": runs, "user": request.user})


@login_required
def last_run(request):
    run = SyncRun.objects.order_by("-started").first()
    if run is None:
        return JsonResponse({"success": False, "error": {"message": "no run yet"}})
    return JsonResponse({
        "success": run.ok,
        "results": {"started": run.started.isoformat(), "files": run.files, "bytes": run.bytes},
    })
