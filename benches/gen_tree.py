#!/usr/bin/env python3
"""Deterministic synthetic source tree for benches/run.sh.

    python3 benches/gen_tree.py OUTPUT_DIR [SCALE] [--seed N] [--jobs N]

Writes a monorepo of hand-written-looking PHP (Symfony / Laravel), Python (Django / DRF /
Celery) and JavaScript (Express / React / Jest) projects under OUTPUT_DIR. SCALE 1 gives at
least 20,000 files and 150 MB; SCALE 2 gives twice that (the scale-2 tree holds the scale-1
projects plus as many more, so the two differ only in size). Files are 2-20 KB, log-normal
(median about 6.5 KB). About 0.5 % of the files carry ExaVault API v1.2 code (SDK calls after
`require_once 'V1Api.php'`, raw `https://api.exavault.com/v1.2/...` URLs, envelope checks);
many more carry look-alikes of ExaVault operation names (`$this->getUser()`,
`get_user_model()`, `createUser()`, `getUsers()`, `get_form()`...) on which the scanner must
stay quiet.

Everything comes from a fixed seed, so the same arguments give the same bytes on any machine
(no network, standard library only). A manifest (paths of the ExaVault files, look-alike
counts) is written next to OUTPUT_DIR as OUTPUT_DIR.manifest.json, outside the tree so that
neither ripgrep nor the scanner reads it.
"""

import argparse
import json
import math
import os
import random
import sys
from multiprocessing import Pool

FILES_PER_SCALE = 20_600
BYTES_PER_SCALE = 156 * 1_000_000
MIN_SIZE = 2 * 1024
MAX_SIZE = 20 * 1024
EXAVAULT_RATE = 0.005

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

NOUNS = """invoice order customer product shipment report payment subscription ticket project task
comment tag category warehouse supplier coupon refund audit session profile team member document
attachment address contract quote lead campaign delivery route vehicle driver schedule booking room
reservation license device sensor reading alert metric dashboard widget template webhook token
permission role policy tenant region currency price discount cart basket checkout review rating
article post page menu banner asset upload batch job queue worker notification
message thread channel inbox calendar event venue course lesson student teacher grade enrollment
patient appointment prescription claim policyholder vendor purchase receipt ledger account_entry
journal budget forecast expense timesheet employee department position applicant interview offer
""".split()
VERBS = """find build create update delete list fetch validate sync export ingest calculate resolve
dispatch handle process normalize format parse render load save archive schedule notify assign
approve reject cancel refresh compute merge split publish restore lock unlock reconcile enqueue
""".split()
ADJS = """active pending archived draft overdue recent primary default internal external legacy
monthly weekly daily public private shared billing shipping""".split()
FIELDS = """name title status amount total quantity reference code label email phone notes priority
description created_at updated_at due_date starts_at ends_at currency weight position slug locale
country city postcode balance score owner_id parent_id external_id""".split()
COMPANIES = """acme globex initech umbrella hooli stark wayne wonka soylent tyrell cyberdyne
aperture vandelay pied nakatomi oscorp""".split()


def camel(words, upper=False):
    parts = []
    for i, w in enumerate(words):
        for j, p in enumerate(w.split("_")):
            parts.append(p.capitalize() if (upper or i or j) else p)
    return "".join(parts)


def snake(words):
    return "_".join(words)


class Ctx:
    """Per-file naming context: an entity and a few related names."""

    def __init__(self, rng):
        self.rng = rng
        self.noun = rng.choice(NOUNS)
        self.other = rng.choice(NOUNS)
        self.Entity = camel([self.noun], True)
        self.Other = camel([self.other], True)
        self.entity = camel([self.noun])
        self.entities = self.entity + "s"
        self.snake = self.noun
        self.table = self.noun + "s"

    def verb(self):
        return self.rng.choice(VERBS)

    def field(self):
        return self.rng.choice(FIELDS)

    def fields(self, n):
        return self.rng.sample(FIELDS, n)

    def adj(self):
        return self.rng.choice(ADJS)

    def num(self, lo=1, hi=500):
        return self.rng.randint(lo, hi)


# --------------------------------------------------------------------------------------------
# PHP
# --------------------------------------------------------------------------------------------


def php_docblock(c, summary, params=(), ret=None):
    lines = ["    /**", f"     * {summary}", "     *"]
    for t, n in params:
        lines.append(f"     * @param {t} ${n}")
    if ret:
        lines.append(f"     * @return {ret}")
    lines.append("     */")
    return "\n".join(lines) + "\n"


def php_sf_action(c):
    v, f1, f2 = c.verb(), c.field(), c.field()
    name = camel([v, c.noun])
    route = f"/{c.table}/{{id}}/{v}"
    return (
        f"    #[Route('{route}', name: '{c.snake}_{v}', methods: ['GET', 'POST'])]\n"
        f"    public function {name}(Request $request, int $id): Response\n"
        "    {\n"
        f"        ${c.entity} = $this->{c.entity}Repository->find($id);\n"
        f"        if (null === ${c.entity}) {{\n"
        f"            throw $this->createNotFoundException(sprintf('{c.Entity} %d does not exist', $id));\n"
        "        }\n"
        f"        $form = $this->createForm({c.Entity}Type::class, ${c.entity});\n"
        "        $form->handleRequest($request);\n"
        "        if ($form->isSubmitted() && $form->isValid()) {\n"
        f"            ${c.entity}->set{camel([f1], True)}($form->get('{f1}')->getData());\n"
        "            $this->entityManager->flush();\n"
        f"            $this->addFlash('success', '{c.Entity} saved.');\n"
        f"            return $this->redirectToRoute('{c.snake}_show', ['id' => ${c.entity}->getId()]);\n"
        "        }\n"
        f"        return $this->render('{c.snake}/{v}.html.twig', [\n"
        f"            '{c.entity}' => ${c.entity},\n"
        "            'form' => $form->createView(),\n"
        f"            '{f2}' => ${c.entity}->get{camel([f2], True)}(),\n"
        "        ]);\n"
        "    }\n"
    )


def php_service_method(c):
    v, f1, f2 = c.verb(), c.field(), c.field()
    name = camel([v, c.adj(), c.noun, "items"])
    limit = c.num(10, 200)
    return php_docblock(c, f"{v.capitalize()}s the {c.noun} items that match the given criteria.", [("array", "criteria"), ("int", "limit")], "array") + (
        f"    public function {name}(array $criteria, int $limit = {limit}): array\n"
        "    {\n"
        "        $result = [];\n"
        f"        $items = $this->{c.entity}Repository->findBy($criteria, ['{f1}' => 'DESC'], $limit);\n"
        "        foreach ($items as $index => $item) {\n"
        f"            if ($item->get{camel([f2], True)}() === null) {{\n"
        f"                $this->logger->warning('Skipping {c.noun} without {f2}', ['index' => $index]);\n"
        "                continue;\n"
        "            }\n"
        "            $key = strtolower(trim((string) $item->getId()));\n"
        "            $result[$key] = [\n"
        "                'id' => $item->getId(),\n"
        f"                '{f1}' => $item->get{camel([f1], True)}(),\n"
        f"                '{f2}' => $item->get{camel([f2], True)}(),\n"
        "                'checksum' => hash('sha256', serialize($item)),\n"
        "            ];\n"
        "        }\n"
        "        usort($result, static fn (array $a, array $b): int => $a['id'] <=> $b['id']);\n"
        f"        $this->eventDispatcher->dispatch(new {c.Entity}ListedEvent(count($result)));\n"
        "        return $result;\n"
        "    }\n"
    )


def php_match_helper(c):
    name = camel(["resolve", c.noun, "status"])
    cases = "".join(f"            '{a}' => self::STATUS_{a.upper()},\n" for a in c.rng.sample(ADJS[:8], 4))
    return (
        f"    private function {name}(string $value): int\n"
        "    {\n"
        "        return match (strtolower($value)) {\n"
        f"{cases}"
        f"            default => throw new \\InvalidArgumentException(sprintf('Unknown {c.noun} status \"%s\"', $value)),\n"
        "        };\n"
        "    }\n"
    )


def php_accessors(c):
    f = c.field()
    F = camel([f], True)
    prop = camel([f])
    return (
        f"    public function get{F}(): ?string\n"
        "    {\n"
        f"        return $this->{prop};\n"
        "    }\n\n"
        f"    public function set{F}(?string ${prop}): self\n"
        "    {\n"
        f"        $this->{prop} = ${prop};\n\n"
        "        return $this;\n"
        "    }\n"
    )


def php_repo_query(c):
    f1, f2 = c.field(), c.field()
    return (
        f"    /**\n     * @return {c.Entity}[]\n     */\n"
        f"    public function findBy{camel([f1], True)}Since(\\DateTimeInterface $since, ?string ${camel([f1])} = null): array\n"
        "    {\n"
        f"        $qb = $this->createQueryBuilder('{c.noun[0]}')\n"
        f"            ->andWhere('{c.noun[0]}.{camel([f2])} >= :since')\n"
        "            ->setParameter('since', $since)\n"
        f"            ->orderBy('{c.noun[0]}.id', 'ASC')\n"
        f"            ->setMaxResults({c.num(20, 500)});\n"
        f"        if (${camel([f1])} !== null) {{\n"
        f"            $qb->andWhere('{c.noun[0]}.{camel([f1])} = :value')->setParameter('value', ${camel([f1])});\n"
        "        }\n\n"
        "        return $qb->getQuery()->getResult();\n"
        "    }\n"
    )


def php_laravel_index(c):
    f1, f2 = c.field(), c.field()
    return (
        "    public function index(Request $request)\n"
        "    {\n"
        f"        $query = {c.Entity}::query()->with(['{c.other}', 'owner']);\n"
        f"        if ($request->filled('{f1}')) {{\n"
        f"            $query->where('{f1}', 'like', '%' . $request->input('{f1}') . '%');\n"
        "        }\n"
        f"        ${c.entities} = $query->orderByDesc('{f2}')->paginate({c.num(10, 50)})->withQueryString();\n\n"
        f"        return view('{c.table}.index', compact('{c.entities}'));\n"
        "    }\n"
    )


def php_laravel_store(c):
    fs = c.fields(3)
    rules = "".join(f"            '{f}' => ['required', 'string', 'max:{c.num(40, 255)}'],\n" for f in fs)
    return (
        "    public function store(Request $request)\n"
        "    {\n"
        "        $validated = $request->validate([\n"
        f"{rules}"
        "        ]);\n"
        "        DB::transaction(function () use ($validated, $request) {\n"
        f"            ${c.entity} = {c.Entity}::create($validated);\n"
        f"            ${c.entity}->{c.other}s()->sync($request->input('{c.other}_ids', []));\n"
        f"            event(new {c.Entity}Created(${c.entity}));\n"
        "        });\n\n"
        f"        return redirect()->route('{c.table}.index')->with('status', '{c.Entity} created');\n"
        "    }\n"
    )


PHP_LOOKALIKES = [
    # Symfony's own user accessors, local user managers, entity collections.
    lambda c: (
        "    #[Route('/account', name: 'account_overview')]\n"
        "    public function overview(): Response\n"
        "    {\n"
        "        $user = $this->getUser();\n"
        "        if (!$user instanceof User) {\n"
        "            throw $this->createAccessDeniedException();\n"
        "        }\n"
        f"        ${c.entities} = $this->{c.entity}Repository->findBy(['owner' => $user->getUserIdentifier()]);\n"
        f"        return $this->render('account/overview.html.twig', ['{c.entities}' => ${c.entities}, 'user' => $user]);\n"
        "    }\n"
    ),
    lambda c: (
        "    public function register(string $email, string $plainPassword): User\n"
        "    {\n"
        "        $user = $this->userManager->createUser();\n"
        "        $user->setEmail(strtolower($email));\n"
        "        $user->setPassword($this->passwordHasher->hashPassword($user, $plainPassword));\n"
        "        $this->userManager->updateUser($user);\n"
        "        return $user;\n"
        "    }\n"
    ),
    lambda c: (
        "    /**\n     * @return Collection<int, User>\n     */\n"
        "    public function getUsers(): Collection\n"
        "    {\n"
        "        return $this->users;\n"
        "    }\n\n"
        "    public function getShares(): Collection\n"
        "    {\n"
        "        return $this->shares;\n"
        "    }\n"
    ),
    lambda c: (
        "    public function authorize(Request $request): bool\n"
        "    {\n"
        "        $account = $this->accounts->getAccount((int) $request->route('account'));\n"
        "        return $account !== null && $request->user()->can('update', $account);\n"
        "    }\n"
    ),
    lambda c: (
        "    public function destroy(Request $request, int $id)\n"
        "    {\n"
        "        $this->authorize('delete', User::class);\n"
        "        $this->userService->deleteUser($id);\n"
        "        return response()->json(['success' => true, 'message' => 'Deleted']);\n"
        "    }\n"
    ),
]


def php_file(c, kind, lookalike, exavault, company):
    if kind == "sf_controller":
        ns, base = "App\\Controller", f"{c.Entity}Controller extends AbstractController"
        uses = [
            "Symfony\\Bundle\\FrameworkBundle\\Controller\\AbstractController",
            "Symfony\\Component\\HttpFoundation\\Request",
            "Symfony\\Component\\HttpFoundation\\Response",
            "Symfony\\Component\\Routing\\Annotation\\Route",
            "Doctrine\\ORM\\EntityManagerInterface",
            f"App\\Entity\\{c.Entity}",
            f"App\\Form\\{c.Entity}Type",
            f"App\\Repository\\{c.Entity}Repository",
        ]
        members = [php_sf_action, php_sf_action, php_match_helper]
    elif kind == "sf_service":
        ns, base = "App\\Service", f"{c.Entity}Manager"
        uses = ["Psr\\Log\\LoggerInterface", "Symfony\\Contracts\\EventDispatcher\\EventDispatcherInterface", f"App\\Repository\\{c.Entity}Repository", f"App\\Event\\{c.Entity}ListedEvent"]
        members = [php_service_method, php_service_method, php_match_helper]
    elif kind == "sf_entity":
        ns, base = "App\\Entity", c.Entity
        uses = ["Doctrine\\ORM\\Mapping as ORM", "Doctrine\\Common\\Collections\\ArrayCollection", "Doctrine\\Common\\Collections\\Collection"]
        members = [php_accessors]
    elif kind == "sf_repository":
        ns, base = "App\\Repository", f"{c.Entity}Repository extends ServiceEntityRepository"
        uses = ["Doctrine\\Bundle\\DoctrineBundle\\Repository\\ServiceEntityRepository", "Doctrine\\Persistence\\ManagerRegistry", f"App\\Entity\\{c.Entity}"]
        members = [php_repo_query]
    else:  # laravel controller
        ns, base = "App\\Http\\Controllers", f"{c.Entity}Controller extends Controller"
        uses = ["Illuminate\\Http\\Request", "Illuminate\\Support\\Facades\\DB", f"App\\Models\\{c.Entity}", f"App\\Events\\{c.Entity}Created"]
        members = [php_laravel_index, php_laravel_store, php_service_method, php_match_helper]
    head = ["<?php", "", "declare(strict_types=1);", "", f"namespace {ns};", ""]
    if exavault:
        head += ["require_once __DIR__ . '/../../vendor/exavault/V1Api.php';", "require_once __DIR__ . '/../../vendor/exavault/APIClient.php';", ""]
    head += [f"use {u};" for u in uses] + [""]
    consts = "".join(f"    public const STATUS_{a.upper()} = {i};\n" for i, a in enumerate(ADJS[:8]))
    prop_lines = "".join(f"    private ?string ${camel([f])} = null;\n" for f in c.fields(4))
    head_text = "\n".join(head) + f"\n/**\n * {c.Entity} handling for the {company} back office.\n */\nclass {base}\n{{\n" + consts + "\n" + prop_lines + "\n"
    if kind == "sf_entity":
        head_text += (
            "    #[ORM\\OneToMany(mappedBy: 'owner', targetEntity: User::class)]\n"
            "    private Collection $users;\n\n"
            "    public function __construct()\n"
            "    {\n"
            "        $this->users = new ArrayCollection();\n"
            "    }\n"
        )
    elif kind == "sf_repository":
        head_text += (
            "    public function __construct(ManagerRegistry $registry)\n"
            "    {\n"
            f"        parent::__construct($registry, {c.Entity}::class);\n"
            "    }\n"
        )
    else:
        head_text += (
            "    public function __construct(\n"
            f"        private readonly {c.Entity}Repository ${c.entity}Repository,\n"
            "        private readonly EntityManagerInterface $entityManager,\n"
            "        private readonly LoggerInterface $logger,\n"
            "    ) {\n"
            "    }\n"
        )
    extras = []
    if lookalike:
        extras.append(c.rng.choice(PHP_LOOKALIKES)(c))
    if exavault:
        extras.append(php_exavault(c))
    return head_text, members, extras, "}\n"


def php_exavault(c):
    r = c.rng.randrange(3)
    folder = f"/{c.table}/{c.rng.choice(['outgoing', 'incoming', 'archive', 'reports'])}"
    if r == 0:
        return (
            f"    public function pushTo{c.Entity}Vault(string $localPath): void\n"
            "    {\n"
            "        $api = new V1Api(new APIClient(getenv('EV_API_KEY'), 'https://api.exavault.com'));\n"
            "        $auth = $api->authenticateUser(getenv('EV_USER'), getenv('EV_PASSWORD'));\n"
            "        if ($auth->success != 1) {\n"
            "            throw new \\RuntimeException('ExaVault login failed: ' . $auth->error->message);\n"
            "        }\n"
            "        $token = $auth->results->accessToken;\n"
            f"        $listing = $api->getResourceList($token, '{folder}');\n"
            "        foreach ($listing->results->resources as $resource) {\n"
            "            $this->logger->info('remote file', ['name' => $resource->name]);\n"
            "        }\n"
            "        $target = $api->getUploadFileUrl($token, filesize($localPath), basename($localPath));\n"
            "        $this->httpClient->request('POST', $target->results->url, ['body' => fopen($localPath, 'r')]);\n"
            "        $api->logoutUser($token);\n"
            "    }\n"
        )
    if r == 1:
        return (
            "    private function vaultRequest(string $operation, array $params): array\n"
            "    {\n"
            "        $ch = curl_init('https://api.exavault.com/v1.2/' . $operation . '?' . http_build_query($params));\n"
            "        curl_setopt($ch, CURLOPT_HTTPHEADER, ['api_key: ' . getenv('EV_API_KEY')]);\n"
            "        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);\n"
            "        $body = json_decode((string) curl_exec($ch), true);\n"
            "        curl_close($ch);\n"
            "        if (empty($body['success'])) {\n"
            "            throw new \\RuntimeException($body['error']['message'] ?? 'ExaVault error');\n"
            "        }\n"
            "        return $body['results'];\n"
            "    }\n\n"
            f"    public function upload{c.Entity}Export(string $token, string $file): string\n"
            "    {\n"
            "        $url = 'https://api.exavault.com/v1.2/getUploadFileUrl';\n"
            "        $ch = curl_init($url . '?' . http_build_query(['access_token' => $token, 'fileSize' => filesize($file)]));\n"
            "        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);\n"
            "        $up = json_decode((string) curl_exec($ch), true);\n"
            "        return $up['results']['url'];\n"
            "    }\n"
        )
    return (
        f"    public function sync{c.Entity}Folder(string $token): int\n"
        "    {\n"
        "        $api = new V1Api(new APIClient(getenv('EV_API_KEY'), 'https://api.exavault.com'));\n"
        f"        $list = $api->getResourceList($token, '/');\n"
        "        if (!$list->success) {\n"
        "            return 0;\n"
        "        }\n"
        f"        $api->createFolder($token, '{folder}');\n"
        f"        $moved = $api->moveResources($token, ['{folder}/old.csv'], '{folder}/archive');\n"
        "        return count($list->results->resources) + (int) $moved->success;\n"
        "    }\n"
    )


# --------------------------------------------------------------------------------------------
# Python
# --------------------------------------------------------------------------------------------


def py_model(c):
    fs = c.fields(4)
    lines = [f"class {c.Entity}{camel([c.adj()], True)}(models.Model):", f'    """A {c.noun} as kept by the {c.other} desk."""', ""]
    for f in fs:
        kind = c.rng.choice(["CharField(max_length=%d, blank=True)" % c.num(20, 255), "DateTimeField(null=True, blank=True)", "DecimalField(max_digits=12, decimal_places=2, default=0)", "IntegerField(default=0)", "TextField(blank=True)"])
        lines.append(f"    {f} = models.{kind}")
    lines += [
        f'    {c.other} = models.ForeignKey("{c.other}s.{c.Other}", on_delete=models.CASCADE, related_name="{c.table}")',
        "",
        "    class Meta:",
        f'        ordering = ["-{fs[0]}"]',
        f'        verbose_name_plural = "{c.table}"',
        "",
        "    def __str__(self):",
        f'        return f"{c.Entity} #{{self.pk}} ({{self.{fs[0]}}})"',
        "",
        f"    def is_{c.adj()}(self):",
        f"        return bool(self.{fs[1]}) and self.{fs[2]} is not None",
        "",
    ]
    return "\n".join(lines) + "\n\n"


def py_view(c):
    v, f1, f2 = c.verb(), c.field(), c.field()
    return (
        "@login_required\n"
        '@require_http_methods(["GET", "POST"])\n'
        f"def {v}_{c.snake}(request, pk):\n"
        f"    {c.snake} = get_object_or_404({c.Entity}, pk=pk)\n"
        '    if request.method == "POST":\n'
        f"        form = {c.Entity}Form(request.POST, instance={c.snake})\n"
        "        if form.is_valid():\n"
        "            obj = form.save(commit=False)\n"
        f"            obj.{f1} = form.cleaned_data.get(\"{f1}\") or obj.{f1}\n"
        "            obj.save()\n"
        f'            messages.success(request, "{c.Entity} updated.")\n'
        f'            return redirect("{c.table}:detail", pk=obj.pk)\n'
        "    else:\n"
        f"        form = {c.Entity}Form(instance={c.snake})\n"
        "    context = {\n"
        f'        "{c.snake}": {c.snake},\n'
        '        "form": form,\n'
        f'        "{f2}_choices": list({c.Entity}.objects.values_list("{f2}", flat=True).distinct()[:{c.num(10, 100)}]),\n'
        "    }\n"
        f'    return render(request, "{c.table}/{v}.html", context)\n\n\n'
    )


def py_cbv(c):
    f1 = c.field()
    return (
        f"class {c.Entity}{camel([c.adj()], True)}ListView(LoginRequiredMixin, ListView):\n"
        f"    model = {c.Entity}\n"
        f"    paginate_by = {c.num(10, 50)}\n"
        f'    template_name = "{c.table}/list.html"\n\n'
        "    def get_queryset(self):\n"
        "        qs = super().get_queryset().select_related(\"%s\")\n" % c.other
        + '        term = self.request.GET.get("q", "").strip()\n'
        "        if term:\n"
        f"            qs = qs.filter(Q({f1}__icontains=term) | Q(reference__iexact=term))\n"
        f'        return qs.order_by("-{f1}")\n\n'
        "    def get_context_data(self, **kwargs):\n"
        "        context = super().get_context_data(**kwargs)\n"
        f'        context["total_{c.snake}"] = self.get_queryset().aggregate(total=Sum("amount"))["total"] or 0\n'
        '        context["query"] = self.request.GET.get("q", "")\n'
        "        return context\n\n\n"
    )


def py_serializer(c):
    fs = c.fields(4)
    flist = ", ".join(f'"{f}"' for f in fs)
    return (
        f"class {c.Entity}Serializer(serializers.ModelSerializer):\n"
        f"    {c.other}_name = serializers.CharField(source=\"{c.other}.name\", read_only=True)\n\n"
        "    class Meta:\n"
        f"        model = {c.Entity}\n"
        f'        fields = ["id", {flist}, "{c.other}_name"]\n'
        f'        read_only_fields = ["id", "{fs[0]}"]\n\n'
        f"    def validate_{fs[1]}(self, value):\n"
        "        if value in (None, \"\"):\n"
        f'            raise serializers.ValidationError("{fs[1]} is required")\n'
        "        return value\n\n\n"
    )


def py_util(c):
    v, f1, f2 = c.verb(), c.field(), c.field()
    return (
        f"def {v}_{c.snake}_rows(rows, *, strict=False):\n"
        f'    """{v.capitalize()} raw {c.noun} rows from the nightly CSV into dicts."""\n'
        "    result = []\n"
        "    errors = defaultdict(list)\n"
        "    for lineno, row in enumerate(rows, start=2):\n"
        "        try:\n"
        "            item = {\n"
        f'                "{f1}": row["{f1}"].strip(),\n'
        f'                "{f2}": Decimal(row.get("{f2}") or "0"),\n'
        '                "created": datetime.strptime(row["created"], "%Y-%m-%d"),\n'
        "            }\n"
        "        except (KeyError, ValueError, InvalidOperation) as exc:\n"
        "            errors[lineno].append(str(exc))\n"
        "            if strict:\n"
        "                raise\n"
        "            continue\n"
        f'        if item["{f2}"] < 0:\n'
        f'            logger.warning("negative {f2} on line %d", lineno)\n'
        "        result.append(item)\n"
        f"    return result, {{k: v for k, v in errors.items() if v}}\n\n\n"
    )


def py_task(c):
    v = c.verb()
    return (
        f"@shared_task(bind=True, max_retries={c.num(2, 8)}, default_retry_delay={c.num(10, 300)})\n"
        f"def {v}_{c.snake}_batch(self, ids):\n"
        f"    qs = {c.Entity}.objects.filter(pk__in=ids).select_for_update(skip_locked=True)\n"
        "    done = 0\n"
        "    with transaction.atomic():\n"
        "        for obj in qs:\n"
        "            try:\n"
        f"                obj.{v}()\n"
        "            except TemporaryFailure as exc:\n"
        "                raise self.retry(exc=exc)\n"
        "            done += 1\n"
        f'    logger.info("{v} {c.snake}: %s of %s", done, len(ids))\n'
        "    return done\n\n\n"
    )


def py_test(c):
    v, f1 = c.verb(), c.field()
    return (
        f"class {c.Entity}{camel([v], True)}Tests(TestCase):\n"
        "    @classmethod\n"
        "    def setUpTestData(cls):\n"
        f"        cls.{c.other} = {c.Other}.objects.create(name=\"{c.rng.choice(COMPANIES)}\")\n"
        f"        cls.{c.snake} = {c.Entity}.objects.create({c.other}=cls.{c.other}, {f1}=\"x\")\n\n"
        f"    def test_{v}_keeps_{f1}(self):\n"
        f'        response = self.client.post(reverse("{c.table}:{v}", args=[self.{c.snake}.pk]), {{"{f1}": "y"}})\n'
        "        self.assertEqual(response.status_code, 302)\n"
        f"        self.{c.snake}.refresh_from_db()\n"
        f'        self.assertEqual(self.{c.snake}.{f1}, "y")\n\n'
        f"    def test_{v}_requires_login(self):\n"
        "        self.client.logout()\n"
        f'        response = self.client.get(reverse("{c.table}:{v}", args=[self.{c.snake}.pk]))\n'
        "        self.assertEqual(response.status_code, 302)\n\n\n"
    )


PY_LOOKALIKES = [
    lambda c: (
        "User = get_user_model()\n\n\n"
        f"def invite_{c.snake}_owner(email, inviter):\n"
        "    user, created = User.objects.get_or_create(email=email, defaults={\"username\": email})\n"
        "    if created:\n"
        "        user.set_unusable_password()\n"
        "        user.save()\n"
        "    return user\n\n\n"
    ),
    lambda c: (
        f"class {c.Entity}UpdateView(LoginRequiredMixin, UpdateView):\n"
        f"    model = {c.Entity}\n"
        f"    form_class = {c.Entity}Form\n\n"
        "    def get_form(self, form_class=None):\n"
        "        form = super().get_form(form_class)\n"
        "        form.fields[\"owner\"].queryset = form.fields[\"owner\"].queryset.filter(is_active=True)\n"
        "        return form\n\n"
        "    def get_form_kwargs(self):\n"
        "        kwargs = super().get_form_kwargs()\n"
        '        kwargs["user"] = self.request.user\n'
        "        return kwargs\n\n\n"
    ),
    lambda c: (
        f"class {c.Entity}OwnerSerializer(serializers.ModelSerializer):\n"
        "    owner = serializers.SerializerMethodField()\n\n"
        "    def get_user(self, obj):\n"
        "        return obj.owner.get_username()\n\n"
        "    def get_owner(self, obj):\n"
        "        return {\"id\": obj.owner_id, \"name\": self.get_user(obj)}\n\n\n"
    ),
    lambda c: (
        "class AccountApiTests(APITestCase):\n"
        "    def setUp(self):\n"
        "        self.user = get_user_model().objects.create_user(\"ann\", \"ann@example.com\", \"pw\")\n"
        "        self.client.force_authenticate(self.user)\n\n"
        "    def test_get_account(self):\n"
        '        response = self.client.get("/api/account/")\n'
        "        self.assertEqual(response.status_code, 200)\n\n\n"
    ),
]


def py_file(c, kind, lookalike, exavault, company):
    imports = {
        "models": ["from django.db import models", "from django.utils import timezone"],
        "views": [
            "from django.contrib import messages",
            "from django.contrib.auth import get_user_model" if lookalike else "from django.contrib.auth.decorators import login_required",
            "from django.contrib.auth.decorators import login_required",
            "from django.contrib.auth.mixins import LoginRequiredMixin",
            "from django.db.models import Q, Sum",
            "from django.shortcuts import get_object_or_404, redirect, render",
            "from django.views.decorators.http import require_http_methods",
            "from django.views.generic import ListView, UpdateView",
            "",
            f"from .forms import {c.Entity}Form",
            f"from .models import {c.Entity}",
        ],
        "serializers": ["from rest_framework import serializers", "", f"from .models import {c.Entity}"],
        "utils": ["import csv", "import logging", "from collections import defaultdict", "from datetime import datetime", "from decimal import Decimal, InvalidOperation", "", "logger = logging.getLogger(__name__)"],
        "tasks": ["import logging", "", "from celery import shared_task", "from django.db import transaction", "", f"from .models import {c.Entity}", "", "logger = logging.getLogger(__name__)", "", "", "class TemporaryFailure(Exception):", "    pass"],
        "tests": ["from django.test import TestCase", "from django.urls import reverse", "from rest_framework.test import APITestCase", "", f"from .models import {c.Entity}, {c.Other}"],
    }[kind]
    members = {"models": [py_model], "views": [py_view, py_cbv], "serializers": [py_serializer, py_util], "utils": [py_util], "tasks": [py_task, py_util], "tests": [py_test]}[kind]
    if lookalike and kind != "views":
        imports = ["from django.contrib.auth import get_user_model"] + imports
    head = f'"""{c.Entity} {kind} for the {company} platform."""\n'
    if exavault:
        head += "import os\n\nimport requests\n"
        if c.rng.random() < 0.5:
            head += "import V1Api\nimport ApiClient\n"
    head += "\n".join(imports) + "\n\n\n"
    extras = []
    if lookalike:
        extras.append(c.rng.choice(PY_LOOKALIKES)(c))
    if exavault:
        extras.append(py_exavault(c))
    return head, members, extras, ""


def py_exavault(c):
    folder = f"/{c.table}/{c.rng.choice(['outgoing', 'incoming', 'archive'])}"
    if c.rng.random() < 0.5:
        return (
            'EV_BASE = "https://api.exavault.com/v1.2"\n\n\n'
            f"def push_{c.snake}_export(token, path):\n"
            '    headers = {"api_key": os.environ["EV_API_KEY"]}\n'
            '    resp = requests.get(EV_BASE + "/getUploadFileUrl", params={"access_token": token, "fileSize": os.path.getsize(path), "destinationPath": "%s"}, headers=headers, timeout=30).json()\n' % folder
            + '    if resp["success"] != 1:\n'
            '        raise RuntimeError(resp["error"]["message"])\n'
            '    with open(path, "rb") as fh:\n'
            '        requests.post(resp["results"]["url"], data=fh, timeout=300)\n'
            '    listing = requests.get("https://api.exavault.com/v1.2/getResourceList", params={"access_token": token, "path": "/"}, headers=headers, timeout=30).json()\n'
            '    return [r["name"] for r in listing["results"]["resources"]]\n\n\n'
        )
    return (
        f"def archive_{c.snake}_files(paths):\n"
        '    api = V1Api.V1Api(ApiClient.ApiClient(os.environ["EV_API_KEY"], "https://api.exavault.com"))\n'
        '    auth = api.authenticateUser(os.environ["EV_USER"], os.environ["EV_PASSWORD"])\n'
        "    if not auth.success:\n"
        "        raise RuntimeError(auth.error.message)\n"
        "    token = auth.results.accessToken\n"
        f'    api.createFolder(token, "{folder}")\n'
        f'    result = api.moveResources(token, paths, "{folder}")\n'
        "    api.logoutUser(token)\n"
        "    return result.success\n\n\n"
    )


# --------------------------------------------------------------------------------------------
# JavaScript
# --------------------------------------------------------------------------------------------


def js_route(c):
    v, f1, f2 = c.verb(), c.field(), c.field()
    return (
        f"router.{c.rng.choice(['get', 'post', 'put'])}('/{c.table}/:id/{v}', requireAuth, async (req, res, next) => {{\n"
        "  try {\n"
        f"    const {c.entity} = await db.{c.entities}.findOne({{ where: {{ id: req.params.id, tenantId: req.tenant.id }} }});\n"
        f"    if (!{c.entity}) {{\n"
        f"      return res.status(404).json({{ error: '{c.Entity} not found' }});\n"
        "    }\n"
        f"    const {camel([f1])} = (req.body && req.body.{camel([f1])}) || {c.entity}.{camel([f1])};\n"
        f"    const updated = await {c.entity}.update({{ {camel([f1])}, {camel([f2])}: new Date() }});\n"
        f"    logger.info('{v} {c.noun}', {{ id: updated.id, by: req.auth.sub }});\n"
        "    res.json({ data: updated.toJSON() });\n"
        "  } catch (err) {\n"
        "    next(err);\n"
        "  }\n"
        "});\n\n"
    )


def js_service(c):
    v = c.verb()
    return (
        "/**\n"
        f" * {v.capitalize()}s {c.noun} records through our own backend.\n"
        " * @param {object} params query parameters\n"
        " * @returns {Promise<object[]>}\n"
        " */\n"
        f"export async function {camel([v, c.noun, 'records'])}(params = {{}}) {{\n"
        f"  const query = new URLSearchParams({{ limit: '{c.num(10, 100)}', ...params }});\n"
        f"  const response = await fetch(`${{API_ROOT}}/{c.table}?${{query}}`, {{\n"
        "    headers: { Accept: 'application/json', Authorization: `Bearer ${getToken()}` },\n"
        "  });\n"
        "  if (!response.ok) {\n"
        f"    throw new HttpError(response.status, '{c.Entity} request failed');\n"
        "  }\n"
        "  const { data } = await response.json();\n"
        f"  return data.map((item) => ({{ ...item, {camel([c.field()])}: item.{camel([c.field()])} ?? null }}));\n"
        "}\n\n"
    )


def js_component(c):
    f1, f2 = c.field(), c.field()
    name = camel([c.adj(), c.noun, "panel"], True)
    return (
        f"export function {name}({{ {c.entity}, onSave }}) {{\n"
        f"  const [draft, setDraft] = useState(() => ({{ ...{c.entity} }}));\n"
        "  const [saving, setSaving] = useState(false);\n"
        f"  const dirty = useMemo(() => draft.{camel([f1])} !== {c.entity}.{camel([f1])}, [draft, {c.entity}]);\n\n"
        "  useEffect(() => {\n"
        f"    setDraft({{ ...{c.entity} }});\n"
        f"  }}, [{c.entity}]);\n\n"
        "  async function handleSubmit(event) {\n"
        "    event.preventDefault();\n"
        "    setSaving(true);\n"
        "    try {\n"
        "      await onSave(draft);\n"
        "    } finally {\n"
        "      setSaving(false);\n"
        "    }\n"
        "  }\n\n"
        "  return (\n"
        f"    <form className=\"{c.snake}-panel\" onSubmit={{handleSubmit}}>\n"
        f"      <label htmlFor=\"{f1}\">{f1.replace('_', ' ').capitalize()}</label>\n"
        f"      <input id=\"{f1}\" value={{draft.{camel([f1])} || ''}} onChange={{(e) => setDraft({{ ...draft, {camel([f1])}: e.target.value }})}} />\n"
        f"      <p className=\"hint\">{{{c.entity}.{camel([f2])}}}</p>\n"
        "      <button type=\"submit\" disabled={!dirty || saving}>\n"
        "        {saving ? 'Saving...' : 'Save'}\n"
        "      </button>\n"
        "    </form>\n"
        "  );\n"
        "}\n\n"
    )


def js_util(c):
    f1, f2 = c.field(), c.field()
    return (
        f"export function group{camel([c.noun], True)}sBy{camel([f1], True)}(items) {{\n"
        "  return items.reduce((acc, item) => {\n"
        f"    const key = String(item.{camel([f1])} ?? 'unknown').toLowerCase();\n"
        "    (acc[key] = acc[key] || []).push(item);\n"
        "    return acc;\n"
        "  }, {});\n"
        "}\n\n"
        f"export const total{camel([f2], True)} = (items) =>\n"
        f"  items.filter((i) => Number.isFinite(i.{camel([f2])})).reduce((sum, i) => sum + i.{camel([f2])}, 0);\n\n"
    )


def js_test(c):
    v, f1 = c.verb(), c.field()
    return (
        f"describe('{v} {c.noun}', () => {{\n"
        "  beforeEach(() => {\n"
        "    jest.resetAllMocks();\n"
        "  });\n\n"
        f"  it('keeps the {f1} when nothing changed', async () => {{\n"
        f"    db.{c.entities}.findOne.mockResolvedValue(make{c.Entity}({{ {camel([f1])}: 'a' }}));\n"
        f"    const res = await request(app).post('/{c.table}/1/{v}').send({{}});\n"
        "    expect(res.status).toBe(200);\n"
        f"    expect(res.body.data.{camel([f1])}).toBe('a');\n"
        "  });\n"
        "});\n\n"
    )


JS_LOOKALIKES = [
    lambda c: (
        "async function getUser(id) {\n"
        "  return db.users.findByPk(id, { attributes: ['id', 'email', 'role'] });\n"
        "}\n\n"
        "router.get('/me', requireAuth, async (req, res) => {\n"
        "  const user = await getUser(req.auth.sub);\n"
        "  res.json({ success: Boolean(user), data: user });\n"
        "});\n\n"
    ),
    lambda c: (
        "export async function createUser(payload) {\n"
        "  const { data } = await http.post('/users', payload);\n"
        "  return data;\n"
        "}\n\n"
        "export async function updateUser(id, patch) {\n"
        "  const { data } = await http.patch(`/users/${id}`, patch);\n"
        "  return data;\n"
        "}\n\n"
    ),
    lambda c: (
        "export function AccountMenu() {\n"
        "  const { getCurrentUser, logout } = useAuth();\n"
        "  const user = getCurrentUser();\n"
        "  return (\n"
        "    <nav className=\"account-menu\">\n"
        "      <span>{user ? user.name : 'Guest'}</span>\n"
        "      <button onClick={logout}>Sign out</button>\n"
        "    </nav>\n"
        "  );\n"
        "}\n\n"
    ),
    lambda c: (
        "test('getUsers returns only active users', async () => {\n"
        "  const users = await service.getUsers({ active: true });\n"
        "  expect(users.every((u) => u.active)).toBe(true);\n"
        "});\n\n"
    ),
]


def js_file(c, kind, lookalike, exavault, company):
    heads = {
        "route": "'use strict';\n\nconst express = require('express');\nconst db = require('../db');\nconst logger = require('../logger');\nconst { requireAuth } = require('../middleware/auth');\n\nconst router = express.Router();\n\n",
        "service": "import { getToken } from './session';\nimport { HttpError } from './errors';\nimport http from './http';\n\nconst API_ROOT = process.env.API_ROOT || '/api';\n\n",
        "component": "import React, { useEffect, useMemo, useState } from 'react';\nimport { useAuth } from '../hooks/useAuth';\n\n",
        "util": "// Small pure helpers, no I/O.\n\n",
        "test": "const request = require('supertest');\nconst app = require('../app');\nconst db = require('../db');\nconst service = require('../services');\n\njest.mock('../db');\n\n",
    }
    members = {"route": [js_route], "service": [js_service, js_util], "component": [js_component], "util": [js_util], "test": [js_test]}[kind]
    head = f"/* {c.Entity} {kind} - {company} web app. */\n" + heads[kind]
    if exavault:
        head += "const ExaVaultApi = require('exa_vault_api');\nconst axios = require('axios');\n\n"
    extras = []
    if lookalike:
        extras.append(c.rng.choice(JS_LOOKALIKES)(c))
    if exavault:
        extras.append(js_exavault(c))
    tail = "module.exports = router;\n" if kind == "route" else ""
    return head, members, extras, tail


def js_exavault(c):
    if c.rng.random() < 0.5:
        return (
            "const filesApi = new ExaVaultApi.FilesAndFoldersApi();\n\n"
            f"function list{c.Entity}Files(apiKey, token, done) {{\n"
            "  filesApi.getResourceList(apiKey, token, '/', {}, function (error, data) {\n"
            "    if (error) return done(error);\n"
            "    if (data.success !== 1) return done(new Error(data.error.message));\n"
            "    done(null, data.results.resources);\n"
            "  });\n"
            "}\n\n"
        )
    return (
        "const EV_BASE_URL = 'https://api.exavault.com/v1.2';\n\n"
        f"async function upload{c.Entity}Report(token, size, path) {{\n"
        "  const res = await axios.get(`${EV_BASE_URL}/getUploadFileUrl`, {\n"
        "    params: { access_token: token, fileSize: size, destinationPath: path },\n"
        "    headers: { api_key: process.env.EV_API_KEY },\n"
        "  });\n"
        "  if (!res.data.success) throw new Error(res.data.error.message);\n"
        "  return res.data.results.url;\n"
        "}\n\n"
    )


# --------------------------------------------------------------------------------------------
# Layout
# --------------------------------------------------------------------------------------------

# (language, kind, directory pattern, file-name pattern, weight, look-alike probability)
KINDS = {
    "php": [
        ("sf_controller", "src/Controller/{area}", "{Entity}Controller.php", 3, 0.55),
        ("sf_service", "src/Service/{area}", "{Entity}Manager.php", 3, 0.20),
        ("sf_entity", "src/Entity", "{Entity}{n}.php", 2, 0.15),
        ("sf_repository", "src/Repository", "{Entity}{n}Repository.php", 2, 0.03),
        ("laravel_controller", "app/Http/Controllers/{area}", "{Entity}Controller.php", 3, 0.30),
    ],
    "python": [
        ("views", "{app}", "views_{noun}.py", 3, 0.40),
        ("models", "{app}", "models_{noun}.py", 2, 0.08),
        ("serializers", "{app}/api", "{noun}_serializers.py", 2, 0.20),
        ("utils", "{app}/utils", "{noun}_{n}.py", 2, 0.03),
        ("tasks", "{app}", "tasks_{noun}.py", 1, 0.05),
        ("tests", "{app}/tests", "test_{noun}_{n}.py", 2, 0.30),
    ],
    "javascript": [
        ("route", "server/routes/{area}", "{noun}{n}.js", 3, 0.30),
        ("service", "src/services/{area}", "{noun}Service{n}.js", 3, 0.20),
        ("component", "src/components/{Area}", "{Entity}{n}.jsx", 3, 0.12),
        ("util", "src/utils", "{noun}{n}.js", 2, 0.03),
        ("test", "server/__tests__/{area}", "{noun}{n}.test.js", 2, 0.25),
    ],
}
LANG_WEIGHTS = [("php", 0.35), ("python", 0.35), ("javascript", 0.30)]
GEN = {"php": php_file, "python": py_file, "javascript": js_file}


def plan_project(seed, index, lookalike_factor=1.0):
    """The files of project `index`: (relative path, language, kind, size, look-alike, exavault, file seed)."""
    rng = random.Random(f"{seed}:project:{index}")
    lang = rng.choices([l for l, _ in LANG_WEIGHTS], [w for _, w in LANG_WEIGHTS])[0]
    company = rng.choice(COMPANIES)
    name = f"{company}-{rng.choice(NOUNS).replace('_', '-')}-{ {'php': 'portal', 'python': 'platform', 'javascript': 'web'}[lang]}-{index:03d}"
    n_files = rng.randint(120, 520)
    areas = [rng.choice(NOUNS) for _ in range(rng.randint(3, 8))]
    kinds = KINDS[lang]
    files = []
    seen = set()
    for i in range(n_files):
        kind, dir_pat, file_pat, _, look_p = rng.choices(kinds, [k[3] for k in kinds])[0]
        area = rng.choice(areas)
        noun = rng.choice(NOUNS)
        fields = dict(area=area, Area=camel([area], True), app=area + "s", noun=noun, Entity=camel([noun], True), n=rng.randint(1, 40))
        rel = os.path.join("services", name, dir_pat.format(**fields), file_pat.format(**fields))
        if rel in seen:
            continue
        seen.add(rel)
        size = int(math.exp(rng.gauss(math.log(6500), 0.55)))
        size = max(MIN_SIZE, min(MAX_SIZE - 1536, size))
        lookalike = rng.random() < look_p * lookalike_factor
        exavault = rng.random() < EXAVAULT_RATE
        files.append((rel, lang, kind, size, lookalike, exavault, f"{seed}:file:{index}:{i}", company))
    return files


def render(spec):
    rel, lang, kind, size, lookalike, exavault, fseed, company = spec
    rng = random.Random(fseed)
    c = Ctx(rng)
    head, members, extras, tail = GEN[lang](c, kind, lookalike, exavault, company)
    sep = "\n" if lang == "php" else ""
    parts = [head]
    total = len(head) + len(tail) + sum(len(e) for e in extras) + 4
    # Look-alike and ExaVault code go somewhere in the middle, as they would in real code.
    budget_before_extras = rng.uniform(0.2, 0.8) * size
    placed = False
    while total < size:
        if not placed and total >= budget_before_extras:
            parts.extend(sep + e for e in extras)
            placed = True
        m = rng.choice(members)(c)
        if total + len(m) + 1 > MAX_SIZE - 256:
            break
        parts.append(sep + m)
        total += len(m) + len(sep)
    if not placed:
        parts.extend(sep + e for e in extras)
    parts.append(tail)
    text = "".join(parts)
    return rel, text.encode("utf-8")


def write_one(args):
    root, spec = args
    rel, data = render(spec)
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    return rel, len(data), spec[4], spec[5]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output")
    ap.add_argument("scale", nargs="?", type=int, default=1)
    ap.add_argument("--seed", type=int, default=20240611)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--lookalike-factor", type=float, default=1.0, help="multiply every look-alike rate (0 = no look-alikes; for experiments)")
    args = ap.parse_args()
    if args.scale < 1:
        sys.exit("scale must be >= 1")
    root = os.path.abspath(args.output)
    if os.path.exists(root) and os.listdir(root):
        sys.exit(f"{root} exists and is not empty; remove it first")
    os.makedirs(root, exist_ok=True)

    # Plan whole projects until both the file and the byte target are met. The project list is
    # a prefix-stable sequence, so scale 2 = scale 1's projects + more of the same kind.
    want_files, want_bytes = FILES_PER_SCALE * args.scale, BYTES_PER_SCALE * args.scale
    specs, planned_bytes, index = [], 0, 0
    while len(specs) < want_files or planned_bytes < want_bytes:
        project = plan_project(args.seed, index, args.lookalike_factor)
        specs.extend(project)
        planned_bytes += sum(s[3] for s in project)
        index += 1

    files = total = looks = 0
    ev_paths = []
    by_lang = {}
    with Pool(args.jobs) as pool:
        for rel, n, look, ev in pool.imap_unordered(write_one, ((root, s) for s in specs), chunksize=64):
            files += 1
            total += n
            looks += look
            if ev:
                ev_paths.append(rel)
            ext = os.path.splitext(rel)[1]
            by_lang[ext] = by_lang.get(ext, 0) + 1
    ev_paths.sort()
    manifest = {
        "root": root,
        "scale": args.scale,
        "seed": args.seed,
        "lookalike_factor": args.lookalike_factor,
        "projects": index,
        "files": files,
        "bytes": total,
        "exavault_files": len(ev_paths),
        "lookalike_files": looks,
        "by_extension": dict(sorted(by_lang.items())),
        "exavault_paths": ev_paths,
    }
    with open(root.rstrip("/") + ".manifest.json", "w") as fh:
        json.dump(manifest, fh, indent=1)
    print(f"files={files} bytes={total} ({total / 1e6:.1f} MB) exavault_files={len(ev_paths)} ({100 * len(ev_paths) / files:.2f} %) "
          f"lookalike_files={looks} ({100 * looks / files:.1f} %) projects={index} root={root}")


if __name__ == "__main__":
    main()
