<?php
/**
 * Customer portal - user and share management (2019 rewrite on the swagger-codegen SDK).
 *
 * Each customer gets an ExaVault user with a home folder and a receive share for uploads.
 */
namespace Portal\Admin;

use Swagger\Client\Api\ActivityApi;   // expect: setup:sdk_import
use Swagger\Client\Api\ShareApi;      // expect: setup:sdk_import
use Swagger\Client\Api\UserApi;       // expect: setup:sdk_import
use Swagger\Client\ApiException;      // expect: setup:sdk_import
use Swagger\Client\Configuration;     // expect: setup:sdk_import

class PortalUsers
{
    private $apiKey;
    private $token;
    private $users;
    private $shares;
    private $activity;

    public function __construct($apiKey, $token)
    {
        Configuration::getDefaultConfiguration()->setHost('https://api.exavault.com/v1.2');  // expect: setup:base_url
        $this->apiKey = $apiKey;
        $this->token = $token;
        $this->users = new UserApi();            // expect: setup:sdk_client
        $this->shares = new ShareApi();          // expect: setup:sdk_client
        $this->activity = new ActivityApi();     // expect: setup:sdk_client
    }

    /** Called from the admin screen for each new customer contract. */
    public function onboard(array $customer)
    {
        if (!$this->isFree($customer['login'])) {
            throw new \DomainException('login already taken: ' . $customer['login']);
        }
        $this->createUser($customer);
        return $this->createUploadShare($customer);
    }

    private function isFree($login)
    {
        $r = $this->users->userAvailable($this->apiKey, $this->token, $login);  // expect: call:userAvailable
        return $r->getSuccess() && $r->getResults()->getAvailable();            // expect: envelope:success, envelope:results
    }

    /** The portal's own helper; the SDK call is inside. */
    private function createUser(array $customer)
    {
        $r = $this->users->createUser(              // expect: call:createUser
            $this->apiKey,
            $this->token,
            $customer['login'],
            '/customers/' . $customer['login'],
            $customer['email'],
            $customer['password'],
            'user',
            'upload,download,list,changePassword',
            'Europe/Berlin'
        );
        if ($r['success'] != 1) {                   // expect: envelope:success
            throw new \RuntimeException($r['error']['message'], (int) $r['error']['code']);  // expect: envelope:error.message, envelope:error.code
        }
    }

    private function createUploadShare(array $customer)
    {
        $r = $this->shares->createShare(            // expect: call:createShare
            $this->apiKey, $this->token, 'receive', 'Uploads ' . $customer['name'],
            array('/customers/' . $customer['login']), 'upload', 'Send us your documents', null,
            array($customer['email'])
        );
        return $r['results']['hash'];              // expect: envelope:results
    }

    public function rename($login, $newEmail, $nickname)
    {
        $user = $this->users->getUser($this->apiKey, $this->token, $login);    // expect: call:getUser
        $id = $user->getResults()->getId();                                     // expect: envelope:results
        $r = $this->users->updateUser($this->apiKey, $this->token, $id, null, $nickname, null, $newEmail);  // expect: call:updateUser
        return $r->getError() === null;                                          // expect: envelope:error
    }

    /** Nightly: disable shares that nobody opened in 90 days, drop users of closed contracts. */
    public function housekeeping(array $closedLogins)
    {
        $all = $this->shares->getShares($this->apiKey, $this->token, 'sort_shares_date', 'asc');  // expect: call:getShares
        foreach ($all['results'] as $share) {      // expect: envelope:results
            $log = $this->activity->getShareActivity($this->apiKey, $this->token, $share['id']);  // expect: call:getShareActivity
            if (count($log['results']) > 0) {      // expect: envelope:results
                continue;
            }
            $detail = $this->shares->getShare($this->apiKey, $this->token, $share['id']);  // expect: call:getShare
            if ($detail['results']['expired']) {   // expect: envelope:results
                $this->shares->deleteShare($this->apiKey, $this->token, $share['id']);  // expect: call:deleteShare
            } else {
                $this->shares->updateShare($this->apiKey, $this->token, $share['id'], null, null, null, null, null, null, null, null, null, null, date('Y-m-d', strtotime('+7 days')));  // expect: call:updateShare
            }
        }

        foreach ($closedLogins as $login) {
            try {
                $r = $this->users->deleteUser($this->apiKey, $this->token, $login);  // expect: call:deleteUser
                if (!$r->getSuccess()) {                                              // expect: envelope:success
                    error_log(sprintf('deleteUser %s: %s', $login, $r->getError()['message']));  // expect: envelope:error.message
                }
            } catch (ApiException $e) {
                error_log('HTTP ' . $e->getCode() . ' while removing ' . $login);
            }
        }
    }

    public function seatsLeft()
    {
        $account = $this->users->getAccount($this->apiKey, $this->token);    // expect: call:getAccount
        $acct = $account->getResults();                                       // expect: envelope:results
        $list = $this->users->getUsers($this->apiKey, $this->token, 'sort_users_username');  // expect: call:getUsers
        return $acct->getMaxUsers() - count($list['results']);               // expect: envelope:results
    }
}
