<?php
namespace App\Controller;

use App\Entity\Customer;
use App\Form\CustomerType;
use App\Service\CustomerRegistry;
use Doctrine\ORM\EntityManagerInterface;
use Symfony\Bundle\FrameworkBundle\Controller\AbstractController;
use Symfony\Component\HttpFoundation\JsonResponse;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\PasswordHasher\Hasher\UserPasswordHasherInterface;
use Symfony\Component\Routing\Annotation\Route;

/**
 * Portal accounts of our own (not storage users). Look-alike names on purpose:
 * getUser() is Symfony's, createUser() and getUsers() are ours.
 */
class AccountController extends AbstractController
{
    public function __construct(
        private EntityManagerInterface $em,
        private CustomerRegistry $registry,
        private UserPasswordHasherInterface $hasher,
    ) {}

    #[Route('/account', name: 'account')]
    public function show(): Response
    {
        $user = $this->getUser();
        if (!$user) {
            return $this->redirectToRoute('login');
        }
        return $this->render('account/show.html.twig', ['user' => $user]);
    }

    #[Route('/admin/customers/new', name: 'customer_new', methods: ['GET', 'POST'])]
    public function create(Request $request): Response
    {
        $customer = new Customer();
        $form = $this->createForm(CustomerType::class, $customer);
        $form->handleRequest($request);
        if ($form->isSubmitted() && $form->isValid()) {
            try {
                $this->createUser($customer, $form->get('plainPassword')->getData());
            } catch (\RuntimeException $e) {
                $this->addFlash('error', sprintf('Could not create the account (%d)', $e->getCode()));
                return $this->redirectToRoute('customer_new');
            }
            return $this->redirectToRoute('customer_list');
        }
        return $this->render('customer/new.html.twig', ['form' => $form]);
    }

    #[Route('/admin/customers', name: 'customer_list')]
    public function list(): JsonResponse
    {
        $rows = array_map(fn (Customer $c) => ['id' => $c->getId(), 'email' => $c->getEmail()], $this->getUsers());
        return new JsonResponse(['success' => true, 'results' => $rows]);
    }

    private function createUser(Customer $customer, string $plainPassword): void
    {
        $customer->setPassword($this->hasher->hashPassword($customer, $plainPassword));
        $this->em->persist($customer);
        $this->em->flush();
        $this->registry->createUser($customer);
    }

    /** @return Customer[] */
    private function getUsers(): array
    {
        return $this->em->getRepository(Customer::class)->findBy([], ['email' => 'ASC']);
    }
}
