<?php
/**
 * Long-term archive on ExaVault API v2 (added 2021). This is NOT the v1.2 API:
 * REST under /api/v2, ev-api-key / ev-access-token headers, SDK namespace ExaVault\Api.
 */
namespace App\Storage;

use ExaVault\Api\AccountApi;
use ExaVault\Api\ResourcesApi;
use ExaVault\Api\UsersApi;
use ExaVault\ApiException;
use ExaVault\Configuration;
use ExaVault\Model\CompressFilesRequestBody;
use ExaVault\Model\UpdateUserRequestBody;
use GuzzleHttp\Client;

class ArchiveV2
{
    private AccountApi $account;
    private ResourcesApi $resources;
    private UsersApi $users;

    public function __construct(private string $evApiKey, private string $evAccessToken, string $accountName)
    {
        $config = (new Configuration())->setHost("https://{$accountName}.exavault.com/api/v2");
        $this->account = new AccountApi(new Client(), $config);
        $this->resources = new ResourcesApi(new Client(), $config);
        $this->users = new UsersApi(new Client(), $config);
    }

    public function freeSpace(): int
    {
        $account = $this->account->getAccount($this->evApiKey, $this->evAccessToken);
        $quota = $account->getData()->getAttributes()->getQuota();
        return $quota->getDiskLimit() - $quota->getDiskUsed();
    }

    public function bundle(array $paths, string $name): ?string
    {
        $body = new CompressFilesRequestBody([
            'resources' => $paths,
            'parent_resource' => '/archive',
            'archive_name' => $name,
        ]);
        try {
            $result = $this->resources->compressFiles($this->evApiKey, $this->evAccessToken, $body);
            return $result->getData()->getAttributes()->getPath();
        } catch (ApiException $e) {
            error_log('v2 compress failed with HTTP ' . $e->getCode());
            return null;
        }
    }

    public function lockUser(int $id): void
    {
        $this->users->updateUser($this->evApiKey, $this->evAccessToken, $id, new UpdateUserRequestBody(['locked' => true]));
    }

    public function deleteOld(array $paths): void
    {
        $this->resources->deleteResources($this->evApiKey, $this->evAccessToken, new \ExaVault\Model\DeleteResourcesRequestBody(['resources' => $paths]));
    }

    public function listRaw(string $accountName, string $path): array
    {
        $ch = curl_init("https://{$accountName}.exavault.com/api/v2/resources/list?resource=" . urlencode($path));
        curl_setopt($ch, CURLOPT_HTTPHEADER, ['ev-api-key: ' . $this->evApiKey, 'ev-access-token: ' . $this->evAccessToken]);
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        $json = json_decode(curl_exec($ch), true);
        return array_map(fn ($r) => $r['attributes']['path'], $json['data'] ?? []);
    }
}
