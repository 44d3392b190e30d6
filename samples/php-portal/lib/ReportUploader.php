<?php
/**
 * Nightly report uploader (cron: 02:15). Pushes the day's CSV exports to the storage account and
 * mails a summary of yesterday's file activity. Raw HTTP: Guzzle for the API, cURL for the bytes.
 * The account moved to Files.com in 2023; only the host changed.
 */
namespace Portal\Reports;

use GuzzleHttp\Client;

class ReportUploader
{
    const DEFAULT_BASE = 'https://acme.files.com/v1.2/';   // expect: setup:base_url

    private $http;
    private $token;

    public function __construct($apiKey, $baseUrl = null)
    {
        $this->http = new Client(array(
            'base_uri' => $baseUrl ?: self::DEFAULT_BASE,
            'headers' => array('api_key' => $apiKey),       // expect: setup:api_key_header
            'timeout' => 120,
        ));
    }

    public function login($username, $password)
    {
        $res = $this->http->post('authenticateUser', array(  // expect: call:authenticateUser
            'form_params' => array('username' => $username, 'password' => $password),
        ));
        $data = json_decode((string) $res->getBody(), true);
        if (empty($data['success'])) {                       // expect: envelope:success
            throw new \RuntimeException('login: ' . $data['error']['message']);  // expect: envelope:error.message
        }
        $this->token = $data['results']['accessToken'];      // expect: envelope:results
    }

    /** Two-step flow: ask for a one-time URL, then POST the file to it. */
    public function uploadTwoStep($localFile, $remotePath)
    {
        $res = $this->http->get('getUploadFileUrl', array(   // expect: call:getUploadFileUrl
            'query' => array(
                'access_token' => $this->token,              // expect: setup:access_token
                'fileSize' => filesize($localFile),
                'destinationPath' => $remotePath,
                'allowOverwrite' => 'true',
            ),
        ));
        $data = json_decode((string) $res->getBody());
        if ($data->success != 1) {                           // expect: envelope:success
            return false;
        }
        $ch = curl_init($data->results->url);                // expect: envelope:results
        curl_setopt_array($ch, array(
            CURLOPT_POST => true,
            CURLOPT_POSTFIELDS => file_get_contents($localFile),
            CURLOPT_RETURNTRANSFER => true,
        ));
        curl_exec($ch);
        $ok = curl_getinfo($ch, CURLINFO_HTTP_CODE) == 200;
        curl_close($ch);
        return $ok;
    }

    /** Files.com's single-request upload, used since the migration. */
    public function upload($localFile, $remotePath, $site = 'acme')
    {
        $url = "https://{$site}.files.com/v1.2/upload?" . http_build_query(array(  // expect: call:upload
            'access_token' => $this->token,                  // expect: setup:access_token
            'destinationPath' => $remotePath,
            'fileSize' => filesize($localFile),
        ));
        $ch = curl_init($url);
        curl_setopt($ch, CURLOPT_HTTPHEADER, array('api_key: ' . getenv('PORTAL_EV_API_KEY')));  // expect: setup:api_key_header
        curl_setopt($ch, CURLOPT_POSTFIELDS, file_get_contents($localFile));
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        $body = json_decode(curl_exec($ch), true);
        curl_close($ch);
        $status = $body['success'] ?? 1;                     // expect: envelope:success
        return $status == 1;
    }

    /** Yesterday's downloads, for the summary mail. */
    public function downloadsYesterday()
    {
        $query = http_build_query(array(
            'access_token' => $this->token,                  // expect: setup:access_token
            'filterBy' => 'filter_logs_operation',
            'filter' => 'RETR',
            'itemLimit' => 500,
        ));
        $res = $this->http->get('getFileActivityLogs?' . $query);  // expect: call:getFileActivityLogs
        $data = json_decode((string) $res->getBody(), true);
        $since = strtotime('yesterday');
        $rows = array();
        foreach ($data['results'] as $entry) {               // expect: envelope:results
            if (strtotime($entry['created']) >= $since) {
                $rows[] = $entry['username'] . ' ' . $entry['fileName'];
            }
        }
        return $rows;
    }

    public function logout()
    {
        $this->http->post('logoutUser', array('form_params' => array('access_token' => $this->token)));  // expect: call:logoutUser, setup:access_token
    }
}
