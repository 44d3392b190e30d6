<?php
/**
 * Text-message notices to customers ("your documents are ready").
 * The SMS provider's PHP SDK returns a result object with ->success, ->error and ->results.
 */
namespace App\Notify;

use Psr\Log\LoggerInterface;
use SmsGate\Client as SmsClient;
use SmsGate\Exception\TransportException;

class SmsNotifier
{
    private SmsClient $client;

    public function __construct(string $accountId, string $authToken, private LoggerInterface $logger)
    {
        $this->client = new SmsClient($accountId, $authToken, ['region' => 'eu']);
    }

    public function documentsReady(string $phone, string $customerName): bool
    {
        $text = sprintf('Hello %s, your documents are ready in the customer portal.', $customerName);
        return $this->send($phone, $text);
    }

    public function shareExpiring(string $phone, string $date): bool
    {
        return $this->send($phone, 'Your upload link expires on ' . $date . '.');
    }

    private function send(string $phone, string $text): bool
    {
        try {
            $response = $this->client->messages->create($phone, ['body' => $text, 'from' => 'ACMEPORTAL']);
        } catch (TransportException $e) {
            $this->logger->error('SMS transport failed', ['code' => $e->getCode()]);
            return false;
        }
        if ($response->success) {
            $this->logger->info('SMS queued', ['id' => $response->results[0]->id]);
            return true;
        }
        $this->logger->warning('SMS refused', [
            'code' => $response->error->code,
            'message' => $response->error->message,
        ]);
        return false;
    }

    public function balance(): ?float
    {
        $ch = curl_init('https://api.smsgate.example/v2/account/balance');
        curl_setopt($ch, CURLOPT_HTTPHEADER, ['Authorization: Bearer ' . getenv('SMSGATE_TOKEN')]);
        curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
        $data = json_decode((string) curl_exec($ch), true);
        curl_close($ch);
        if (!$data['success']) {
            $this->logger->warning($data['error']['message']);
            return null;
        }
        return (float) $data['results']['balance'];
    }
}
