<?php
/**
 * Customer portal - document area.
 *
 * Written in 2015 against ExaVault's hand-written PHP client (V1Api + APIClient, one POST per
 * operation). Customers upload signed documents here and staff hand out download links.
 */
require_once __DIR__ . '/../vendor/evapi/V1Api.php';      // expect: setup:sdk_import
require_once __DIR__ . '/../vendor/evapi/APIClient.php';  // expect: setup:sdk_import
require_once __DIR__ . '/PortalException.php';

class LegacyVault
{
    const API_SERVER = 'https://api.exavault.com';        // expect: setup:base_url

    private static $api;
    private $token;

    /** One client per request; the API key lives in the client, not in each call. */
    public static function api()
    {
        if (self::$api === null) {
            self::$api = new V1Api(                        // expect: setup:sdk_client
                new APIClient(PORTAL_EV_API_KEY, self::API_SERVER)  // expect: setup:sdk_client
            );
        }
        return self::$api;
    }

    public function login($username, $password)
    {
        $response = self::api()->authenticateUser($username, $password);   // expect: call:authenticateUser
        if ($response === null || $response->success != 1) {              // expect: envelope:success
            $reason = $response ? $response->error->message : 'no answer';  // expect: envelope:error.message
            throw new PortalException('Storage login failed: ' . $reason);
        }
        $this->token = $response->results->accessToken;                    // expect: envelope:results
        return $this->token;
    }

    public function customerFiles($customer)
    {
        $path = '/customers/' . $customer;
        $list = self::api()->getResourceList($this->token, $path, 'sort_files_date', 'desc', 0, 100);  // expect: call:getResourceList
        if (!$list->success) {                                             // expect: envelope:success
            return array();
        }
        $files = array();
        foreach ($list->results->resources as $item) {                     // expect: envelope:results
            if ($item->type == 'file') {
                $files[] = array('name' => $item->name, 'size' => $item->size, 'date' => $item->uploadDate);
            }
        }
        return $files;
    }

    public function createCustomerFolder($customer)
    {
        $r = self::api()->createFolder($this->token, $customer, '/customers');  // expect: call:createFolder
        return $r->success == 1;                                                 // expect: envelope:success
    }

    public function uploadDocument($customer, $localFile, $name)
    {
        $destination = '/customers/' . $customer . '/' . $name;
        $target = self::api()->getUploadFileUrl($this->token, filesize($localFile), $destination, true);  // expect: call:getUploadFileUrl
        if ($target->success != 1) {                                       // expect: envelope:success
            throw new PortalException($target->error->message, $target->error->code);  // expect: envelope:error.message, envelope:error.code
        }
        $ch = curl_init($target->results->url);                            // expect: envelope:results
        curl_setopt($ch, CURLOPT_POST, true);
        curl_setopt($ch, CURLOPT_POSTFIELDS, file_get_contents($localFile));
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        curl_exec($ch);
        $status = curl_getinfo($ch, CURLINFO_HTTP_CODE);
        curl_close($ch);
        return $status == 200;
    }

    public function downloadLink($customer, array $names)
    {
        $paths = array();
        foreach ($names as $n) {
            $paths[] = '/customers/' . $customer . '/' . $n;
        }
        $link = self::api()->getDownloadFileUrl($this->token, count($paths) == 1 ? $paths[0] : $paths, $customer . '.zip');  // expect: call:getDownloadFileUrl
        return $link->success ? $link->results->url : null;                 // expect: envelope:success, envelope:results
    }

    /** Closed customers: zip their folder (forked client has compressFiles), then move it to cold storage. */
    public function archiveCustomer($customer)
    {
        $folder = '/customers/' . $customer;
        self::api()->compressFiles($this->token, array($folder), '/archive/' . $customer . '.zip');  // expect: call:compressFiles
        $moved = self::api()->moveResources($this->token, array($folder), '/cold');  // expect: call:moveResources
        if ($moved->success == 2) {                                              // expect: envelope:success
            error_log('archive of ' . $customer . ' only partly moved');
        }
        return $moved->success > 0;                                              // expect: envelope:success
    }

    public function removeDocuments(array $paths)
    {
        $r = self::api()->deleteResources($this->token, $paths);                // expect: call:deleteResources
        if (!empty($r->error)) {                                                 // expect: envelope:error
            error_log('delete failed: ' . $r->error->message);                  // expect: envelope:error.message
        }
    }

    public function logout()
    {
        if ($this->token) {
            self::api()->logoutUser($this->token);                              // expect: call:logoutUser
            $this->token = null;
        }
    }
}
